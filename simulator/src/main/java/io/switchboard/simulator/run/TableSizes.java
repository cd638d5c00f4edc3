package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2LongHashMap;

/**
 * How big the clients' and the oracle's tables are made before a run: big enough for the scenario's messages, so that
 * none doubles (and copies up to tens of MB on the clients' thread) inside the measured window.
 */
final class TableSizes {
    /**
     * The most messages a run sizes its tables for before it starts (14 bytes each in arrays, 112 MB at most, and at
     * most 256 MiB for each of its two maps of highest ids); past what it was sized for, a table grows by doubling.
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

    /**
     * A map from (conversation, recipient device, sending device) to a highest id, sized for the pairs {@code expected}
     * messages can make (one per recipient device of each) among {@code devices} devices.
     */
    static Long2LongHashMap highestIds(int expected, DeviceSlots slots, int devices) {
        long pairs =
                Math.min(Math.min(MAX_EXPECTED, (long) expected * slots.devicesPerUser()), (long) devices * devices);
        // The map's capacity is in slots, and it doubles once they are this full.
        int capacity = (int) Math.ceil(pairs / (double) Hashing.DEFAULT_LOAD_FACTOR) + 1;
        return new Long2LongHashMap(capacity, Hashing.DEFAULT_LOAD_FACTOR, 0);
    }

    private TableSizes() {}
}
