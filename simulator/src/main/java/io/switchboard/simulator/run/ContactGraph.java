package io.switchboard.simulator.run;

import io.switchboard.simulator.scenario.Scenario;

/**
 * A seeded contacts graph computed on demand, with no memory per user: contact {@code j} of user {@code u} is a
 * function of (seed, u, j), drawn from a power-law popularity over all users, so that a few users are in the contacts
 * of many (in-degree follows the power law) while everyone has {@code perUser} contacts. The user of popularity rank r
 * (from 0) is {@code (r + offset) mod users}, the offset drawn from the seed; it is drawn with probability about
 * ∝ (r + 1)^−exponent, by inverting the continuous power law's distribution function.
 */
final class ContactGraph {
    /** Salts the seed so that contacts share no draws with the arrivals or the groups. */
    private static final long SALT = 0x636F6E7461637473L;

    private final long seed;
    private final int users;
    private final int perUser;
    private final double exponent;
    private final int offset;

    ContactGraph(long seed, int users, Scenario.Contacts contacts) {
        this.seed = seed ^ SALT;
        this.users = users;
        this.perUser = contacts.perUser();
        this.exponent = contacts.exponent();
        this.offset = (int) ((Mix.mix(this.seed) >>> 1) % users);
    }

    int perUser() {
        return perUser;
    }

    /** Contact {@code j} (0 ≤ j < perUser) of {@code user}: never the user itself; two contacts may coincide. */
    int contact(int user, int j) {
        double unit = Mix.unitInterval(seed + (long) user * perUser + j);
        int contact = (int) ((rank(unit) + offset) % users);
        return contact == user ? (contact + 1) % users : contact;
    }

    /** The popularity rank, 0..users-1, whose distribution function is {@code unit}. */
    private long rank(double unit) {
        double top = users + 1.0;
        double x = exponent == 1
                ? Math.pow(top, unit)
                : Math.pow(1 + unit * (Math.pow(top, 1 - exponent) - 1), 1 / (1 - exponent));
        return Math.min(users - 1, Math.max(0, (long) x - 1));
    }
}
