package io.switchboard.simulator.run;

import io.switchboard.simulator.scenario.Scenario;

/**
 * How big the clients' and the oracle's tables are made before a run: big enough for the scenario's messages, so that
 * none doubles (and copies up to tens of MB on the clients' thread) inside the measured window.
 */
final class TableSizes {
    /**
     * The most messages a run sizes its tables for before it starts (14 bytes each in arrays, 235 MB at most, and at
     * most 512 MiB for each of its two maps of highest ids, where {@link HighestIds} keeps a map); past what it was
     * sized for, a table grows by doubling. 16M covers the 13 s of a warm-up and window at up to 1,200,000 msgs/s: with
     * 8M, runs from 650,000 msgs/s doubled their tables inside the window.
     */
    static final int MAX_EXPECTED = 1 << 24;

    /**
     * Tables sized for a twentieth more messages than the mean: the arrivals' spread is the mean's square root (0.04% of
     * it at 6,500,000), so only a run that overran its window sends more.
     */
    static final double HEADROOM = 1.05;

    private static final long STEP_NS = 10_000_000;

    /**
     * The messages the scenario sends in its warm-up and measured window at its rate, with {@link #HEADROOM} to spare
     * (at least 1,024, at most {@link #MAX_EXPECTED}). The arrivals are Poisson: a run sends its mean or more about
     * every other time, and tables sized to the mean doubled at the end of the window in half the runs at 500,000
     * msgs/s (65 MB copied on the clients' thread, 36 bytes per message in {@code allocation}).
     */
    static int expected(Scenario scenario) {
        return (int) Math.min(MAX_EXPECTED, offered(scenario));
    }

    /**
     * The messages the scenario offers in its warm-up and measured window, with {@link #HEADROOM} and 1,024 to spare:
     * the rate over the {@link Scenario.Curve} (a ramp offers less, a diurnal swing may offer more), summed in steps of
     * 10 ms.
     */
    static long offered(Scenario scenario) {
        long windowNs = (scenario.warmup().toMillis() + scenario.duration().toMillis()) * 1_000_000L;
        double seconds = 0;
        for (long at = 0; at < windowNs; at += STEP_NS) {
            seconds += scenario.curve().factorAt(at) * Math.min(STEP_NS, windowNs - at) / 1e9;
        }
        return (long) (scenario.messages().ratePerSecond() * seconds * HEADROOM) + 1024;
    }

    private TableSizes() {}
}
