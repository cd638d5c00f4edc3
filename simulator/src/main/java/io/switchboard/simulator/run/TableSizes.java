package io.switchboard.simulator.run;

import io.switchboard.simulator.scenario.Scenario;

/**
 * How big the clients' and the oracle's tables are made before a run: big enough for the scenario's messages, so that
 * none doubles (and copies up to tens of MB on the clients' thread) inside the measured window.
 */
final class TableSizes {
    /**
     * The most messages a run sizes its tables for before it starts (14 bytes each in arrays, 112 MB at most, and at
     * most 256 MiB for each of its two maps of highest ids, where {@link HighestIds} keeps a map); past what it was
     * sized for, a table grows by doubling.
     */
    static final int MAX_EXPECTED = 1 << 23;

    /**
     * The messages the scenario sends in its warm-up and measured window at its rate (at least 1,024, at most {@link
     * #MAX_EXPECTED}).
     */
    static int expected(Scenario scenario) {
        double seconds = (scenario.warmup().toMillis() + scenario.duration().toMillis()) / 1000.0;
        long messages = (long) (scenario.messages().ratePerSecond() * seconds);
        return (int) Math.max(1024, Math.min(MAX_EXPECTED, messages));
    }

    private TableSizes() {}
}
