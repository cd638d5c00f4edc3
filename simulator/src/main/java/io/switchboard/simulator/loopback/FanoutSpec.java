package io.switchboard.simulator.loopback;

import java.time.Duration;

/**
 * One fan-out measurement: a group of {@code groupSize} members (one of them the sender) on real sockets, group
 * messages offered open loop at {@code deliveriesPerSecond / (groupSize - 1)} per second, so that every group size is
 * offered the same member deliveries per second; then {@code storedEntries} queue entries' worth of messages for
 * offline members, to weigh what a pending group message costs in memory and on disk.
 */
record FanoutSpec(
        int groupSize,
        int deliveriesPerSecond,
        int bodyBytes,
        Duration warmup,
        Duration duration,
        Duration drain,
        int storedEntries) {
    FanoutSpec {
        if (groupSize < 2 || deliveriesPerSecond < groupSize - 1 || bodyBytes < 16 || storedEntries < groupSize) {
            throw new IllegalArgumentException("a group of at least 2, at least one message a second, bodies of at"
                    + " least 16 bytes, and at least one stored message");
        }
    }

    /** Group messages per second the sender offers. */
    double messagesPerSecond() {
        return (double) deliveriesPerSecond / (groupSize - 1);
    }

    /** Group messages sent to offline members for the stored cost. */
    int storedMessages() {
        return storedEntries / (groupSize - 1);
    }
}
