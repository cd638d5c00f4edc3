package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;

/**
 * The oracle's order check: a first delivery to a device whose id is below the highest already delivered to that
 * device from the same sending device, in the same conversation, is reordered. One entry per (recipient device,
 * sending device, conversation) that exchanged a message ({@link HighestIds}). Without groups, where those entries are
 * an array, the deliveries are logged in the order they came and checked when the count is read ({@link
 * DeliveryLog}): the same result, without a random lookup per delivery in the measured window.
 *
 * <p>Single-threaded: the client I/O thread.
 */
final class DeliveryOrder {
    /** (conversation, recipient device, sending device) → highest id delivered. */
    private final HighestIds highest;
    /** First deliveries not checked yet, in order; null when each is checked at once (groups, or too many devices). */
    private final DeliveryLog waiting;

    private final DeliveryLog.Delivery replay = (recipient, sender, id, flag) -> check(0, recipient, sender, id);
    private long reordered;

    DeliveryOrder(int expected, DeviceSlots slots, int devices, int conversations) {
        highest = new HighestIds(expected, slots, devices, conversations);
        waiting = highest.dense() ? new DeliveryLog(expected, slots) : null;
    }

    /** A first delivery of {@code id} from {@code sender} to {@code recipient} (device slots) in the conversation. */
    void delivered(int conversation, int recipient, int sender, long id) {
        if (waiting != null) {
            waiting.add(recipient, sender, id, false);
        } else {
            check(conversation, recipient, sender, id);
        }
    }

    /** Deliveries found reordered so far: those checked at once, and those logged up to the last {@link #reordered}. */
    long reorderedSoFar() {
        return reordered;
    }

    /** Checks the deliveries that waited, in the order they came; returns every reordered delivery. */
    long reordered() {
        if (waiting != null) {
            waiting.replay(replay);
        }
        return reordered;
    }

    private void check(int conversation, int recipient, int sender, long id) {
        if (id < highest.get(conversation, recipient, sender)) {
            reordered++;
        } else {
            highest.put(conversation, recipient, sender, id);
        }
    }
}
