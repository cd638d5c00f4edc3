package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import org.agrona.collections.Long2LongHashMap;

/**
 * The virtual client's own de-duplication, in front of its application: ids increase per sending device and the
 * server keeps each sender's order within a conversation, so a device keeps the highest id it showed per (sending
 * device, conversation) and drops any message at or below it. It works without the {@link Oracle}, which checks it:
 * a copy it lets through is counted as {@code duplicatesToApp}.
 *
 * <p>One entry per (recipient device, sending device, conversation) that exchanged a message. Single-threaded: the
 * client I/O thread.
 */
final class ClientInbox {
    private final Long2LongHashMap highestShown;

    /** An inbox sized for the pairs of {@code expected} messages among {@code devices} ({@link TableSizes#highestIds}). */
    ClientInbox(int expected, DeviceSlots slots, int devices) {
        highestShown = TableSizes.highestIds(expected, slots, devices);
    }

    /**
     * Whether the application of {@code recipient} (a device slot) shows message {@code id} from {@code sender} (a
     * device slot) in {@code conversation} (0 one-to-one, group + 1 for a group): true the first time, false for a copy.
     */
    boolean show(int recipient, int sender, int conversation, long id) {
        long key = key(conversation, recipient, sender);
        if (id <= highestShown.get(key)) {
            return false;
        }
        highestShown.put(key, id);
        return true;
    }

    /**
     * Slots take {@link DeviceSlots#SLOT_BITS} bits each, and the conversation (at most 100,001, 17 bits) goes above
     * them, 63 bits in all.
     */
    static long key(int conversation, int recipient, int sender) {
        return ((long) conversation << (2 * DeviceSlots.SLOT_BITS))
                | ((long) recipient << DeviceSlots.SLOT_BITS)
                | sender;
    }
}
