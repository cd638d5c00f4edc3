package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;

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
    private final HighestIds highestShown;

    /**
     * An inbox for {@code expected} messages among {@code devices} devices in {@code conversations} conversations (one,
     * and one per group).
     */
    ClientInbox(int expected, DeviceSlots slots, int devices, int conversations) {
        this(new HighestIds(expected, slots, devices, conversations));
    }

    /** An inbox keeping the highest ids shown in a table made by the caller ({@link HighestIds#paired}). */
    ClientInbox(HighestIds highestShown) {
        this.highestShown = highestShown;
    }

    /**
     * Whether the application of {@code recipient} (a device slot) shows message {@code id} from {@code sender} (a
     * device slot) in {@code conversation} (0 one-to-one, group + 1 for a group): true the first time, false for a copy.
     */
    boolean show(int recipient, int sender, int conversation, long id) {
        if (id <= highestShown.get(conversation, recipient, sender)) {
            return false;
        }
        highestShown.put(conversation, recipient, sender, id);
        return true;
    }
}
