package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;

/**
 * The virtual client's own de-duplication, in front of its application: ids increase per sending device and the
 * server keeps each sender's order within a conversation, so a device keeps the highest id it showed per (sending
 * device, conversation) and drops any message at or below it. It works without the {@link Oracle}, which checks it:
 * a copy it lets through is counted as {@code duplicatesToApp}.
 *
 * <p>What it shows is counted only through that check, so where its table is an array it decides after the drain,
 * replaying the deliveries in the order they came ({@link DeliveryLog}), rather than with a random lookup on every
 * delivery in the measured window; with groups it decides at once.
 *
 * <p>One entry per (recipient device, sending device, conversation) that exchanged a message. Single-threaded: the
 * client I/O thread.
 */
final class ClientInbox {
    private final HighestIds highestShown;
    /** Deliveries not decided yet, flagged when the oracle called them a copy; null when each is decided at once. */
    private final DeliveryLog deliveries;

    private final DeliveryLog.Delivery replay = this::replayed;
    private long copiesShown;

    /**
     * An inbox for {@code expected} messages among {@code devices} devices in {@code conversations} conversations (one,
     * and one per group).
     */
    ClientInbox(int expected, DeviceSlots slots, int devices, int conversations) {
        this.highestShown = new HighestIds(expected, slots, devices, conversations);
        this.deliveries = highestShown.dense() ? new DeliveryLog(expected, slots) : null;
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

    /**
     * A delivery that the oracle called a copy ({@code copy}) or not: true when the application showed a copy, decided
     * now; false also when the decision waits for {@link #settle}.
     */
    boolean delivered(int recipient, int sender, int conversation, long id, boolean copy) {
        if (deliveries != null) {
            deliveries.add(recipient, sender, id, copy);
            return false;
        }
        return show(recipient, sender, conversation, id) && copy;
    }

    /** Decides the deliveries that waited, in the order they came; returns how many copies the application showed. */
    long settle() {
        copiesShown = 0;
        if (deliveries != null) {
            deliveries.replay(replay);
        }
        return copiesShown;
    }

    private void replayed(int recipient, int sender, long id, boolean copy) {
        if (show(recipient, sender, 0, id) && copy) {
            copiesShown++;
        }
    }
}
