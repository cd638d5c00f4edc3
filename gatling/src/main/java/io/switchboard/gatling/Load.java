package io.switchboard.gatling;

import java.time.Duration;

/**
 * A simulation's load, from system properties: {@code target} (host:port of a running server), {@code users},
 * {@code rate} (per second: messages for the chats, connections for the storm), {@code duration} (seconds),
 * {@code groupSize}, {@code p99BoundMs} and {@code firstUser} (the first account id; by default one derived from the clock, so that runs
 * against the same server register new accounts instead of meeting 409s).
 */
record Load(String target, int users, int rate, Duration duration, int groupSize, long firstUser) {
    static final String TARGET_PROP = "target";
    static final String USERS_PROP = "users";
    static final String RATE_PROP = "rate";
    static final String DURATION_PROP = "duration";
    static final String GROUP_SIZE_PROP = "groupSize";
    static final String FIRST_USER_PROP = "firstUser";
    static final String P99_BOUND_PROP = "p99BoundMs";
    /** Room for 100,000 accounts per second of start time, well below the protocol's 2^53. */
    private static final long USERS_PER_SECOND_OF_START = 100_000;

    static Load fromSystemProperties(int defaultUsers, int defaultRate, int defaultDurationSec) {
        return new Load(
                System.getProperty(TARGET_PROP, "127.0.0.1:8080"),
                positive(USERS_PROP, defaultUsers),
                positive(RATE_PROP, defaultRate),
                Duration.ofSeconds(positive(DURATION_PROP, defaultDurationSec)),
                positive(GROUP_SIZE_PROP, 8),
                Long.getLong(FIRST_USER_PROP, System.currentTimeMillis() / 1000 * USERS_PER_SECOND_OF_START));
    }

    /** The simulation's p99 bound unless {@code -Dp99BoundMs} overrides it (the verify-time test checks behaviour only). */
    static int p99BoundMs(int simulationBoundMs) {
        return positive(P99_BOUND_PROP, simulationBoundMs);
    }

    private static int positive(String property, int defaultValue) {
        int value = Integer.getInteger(property, defaultValue);
        if (value <= 0) {
            throw new IllegalArgumentException("-D" + property + " must be positive, not " + value);
        }
        return value;
    }
}
