package io.switchboard.simulator.run;

import io.switchboard.simulator.scenario.Scenario.Churn;
import io.switchboard.simulator.scenario.ScenarioLoader;

/**
 * When each user next goes online or offline: a {@link DeadlineQueue} of (deadline, user), 8 bytes per user, and the
 * draws that make the deadlines. Every draw is a function of the
 * seed, the user and the deadline it follows, never of timing or of other users, so the same seed gives the same
 * schedule however fast the run goes. Whether an event is a login or a logout is the user's state when it comes due.
 *
 * <p>Session lengths and offline gaps are exponential ({@link Churn}); a user is online at the start with probability
 * {@code online}, which with memoryless lengths makes the online share stationary from the first second.
 */
final class ChurnSchedule {
    /** Bits of a packed entry that hold the user index; {@link ScenarioLoader#MAX_USERS} fits. */
    static final int USER_BITS = 20;

    private final long seed;
    private final Churn churn;
    private final double meanSessionMs;
    private final double meanOfflineMs;
    private final int initiallyOnline;
    private final DeadlineQueue queue;

    ChurnSchedule(long seed, int users, Churn churn) {
        if (users > 1 << USER_BITS) {
            throw new IllegalArgumentException("at most " + (1 << USER_BITS) + " users");
        }
        this.seed = seed;
        this.churn = churn;
        this.meanSessionMs = churn.sessionLength().toMillis();
        this.meanOfflineMs = churn.meanOfflineNs() / 1e6;
        this.queue = new DeadlineQueue(USER_BITS, users);
        int online = 0;
        for (int user = 0; user < users; user++) {
            boolean startsOnline = !churn.churns() || draw(user, -1) < churn.online();
            add(startsOnline ? 0 : afterGap(user, 0), user);
            online += startsOnline ? 1 : 0;
        }
        this.initiallyOnline = online;
    }

    /** Users whose first login is at 0: the online population the workload starts with. */
    int initiallyOnline() {
        return initiallyOnline;
    }

    /** When a session that starts at {@code startMs} ends: at least a millisecond later. */
    long afterSession(int user, long startMs) {
        return startMs + 1 + (long) (-Math.log(1 - draw(user, startMs)) * meanSessionMs);
    }

    /** When a user who goes offline at {@code offMs} comes back. */
    long afterGap(int user, long offMs) {
        return offMs + 1 + (long) (-Math.log(1 - draw(user, offMs)) * meanOfflineMs);
    }

    /** Whether sessions end at all ({@code online < 1}). */
    boolean churns() {
        return churn.churns();
    }

    private double draw(int user, long atMs) {
        return Mix.unitInterval(seed ^ Mix.mix(((long) user << 40) ^ atMs));
    }

    void add(long deadlineMs, int user) {
        queue.add(deadlineMs, user);
    }

    /** True when the earliest event is due by {@code nowMs}. */
    boolean due(long nowMs) {
        return queue.due(nowMs);
    }

    /** The earliest event's deadline; only when {@link #size()} > 0. */
    long nextDeadlineMs() {
        return queue.nextDeadline();
    }

    /** Removes the earliest event and returns its user. */
    int poll() {
        return (int) queue.poll();
    }

    int size() {
        return queue.size();
    }
}
