package io.switchboard.simulator.fault;

/**
 * How a network between a client and the server behaves, as {@link NetworkProxy} models it.
 *
 * <p>The two mobile profiles take latency and bandwidth from the presets of Chrome DevTools' network throttling
 * (front_end/core/sdk/NetworkManager.ts): {@link #GOOD_MOBILE} is its "Fast 3G" (562.5 ms round trip, 1.44 Mbit/s down,
 * 675 kbit/s up; Lighthouse's simulated mobile network), {@link #BAD_MOBILE} its "Slow 3G" (2,000 ms round trip,
 * 400 kbit/s each way). The one-way latency here is half the round trip. Jitter (a tenth and a quarter of the one-way
 * latency) and drops (none; one a minute per connection) are this simulator's own choice, not measurements: DevTools
 * models neither.
 *
 * @param latencyMs one-way delay added to every read, each way
 * @param jitterMs the delay varies uniformly by up to this much either way (bytes still keep their order)
 * @param downloadBytesPerSecond server → client; 0: unlimited
 * @param uploadBytesPerSecond client → server; 0: unlimited
 * @param meanSecondsBetweenDrops each connection is dropped after an exponential time with this mean; 0: never
 */
public record NetworkProfile(
        String name,
        long latencyMs,
        long jitterMs,
        long downloadBytesPerSecond,
        long uploadBytesPerSecond,
        double meanSecondsBetweenDrops) {
    public static final NetworkProfile NONE = new NetworkProfile("none", 0, 0, 0, 0, 0);
    public static final NetworkProfile GOOD_MOBILE =
            new NetworkProfile("good-mobile", 281, 28, 1_440_000 / 8, 675_000 / 8, 0);
    public static final NetworkProfile BAD_MOBILE =
            new NetworkProfile("bad-mobile", 1_000, 250, 400_000 / 8, 400_000 / 8, 60);

    /** The profile a scenario names. */
    public static NetworkProfile named(String name) {
        return switch (name) {
            case "good-mobile" -> GOOD_MOBILE;
            case "bad-mobile" -> BAD_MOBILE;
            default ->
                throw new IllegalArgumentException(
                        "no network profile '" + name + "'; there are good-mobile and bad-mobile");
        };
    }
}
