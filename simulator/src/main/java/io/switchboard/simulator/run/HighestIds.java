package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2LongHashMap;

/**
 * The highest id seen per (conversation, recipient device, sending device): the oracle's order check and the client's
 * own de-duplication ({@link ClientInbox}) each keep one, and look it up for every message delivered.
 *
 * <p>With no groups (one conversation) and at most {@link #DENSE_MAX_PAIRS} pairs of devices, an array indexed by the
 * pair, 4 bytes each: 16 MB for 2,000 devices. The hash map it replaces there held the same 4 million pairs in 128 MB,
 * so every lookup missed the cache (a fifth of the load generator's thread at 400,000 msgs/s on direct). The array
 * misses too, once a delivery, so its owners look it up after the drain ({@link DeliveryLog}). Otherwise a hash map,
 * sized for the pairs {@code expected} messages can make (one per recipient device of each), so that it does not
 * double inside the measured window.
 *
 * <p>Single-threaded: the client I/O thread.
 */
final class HighestIds {
    /** The most pairs kept in an array: 64 MB. */
    static final long DENSE_MAX_PAIRS = 1L << 24;

    private final int devices;
    /** At recipient × devices + sender: the highest id, 0 for none; null when {@link #sparse} keeps them. */
    private final int[] dense;

    private final Long2LongHashMap sparse;

    HighestIds(int expected, DeviceSlots slots, int devices, int conversations) {
        this.devices = devices;
        long pairs = (long) devices * devices;
        if (conversations == 1 && pairs <= DENSE_MAX_PAIRS) {
            dense = new int[(int) pairs];
            sparse = null;
        } else {
            dense = null;
            long used = Math.min(
                    Math.min(TableSizes.MAX_EXPECTED, (long) expected * slots.devicesPerUser()),
                    (long) devices * devices);
            // The map's capacity is in slots, and it doubles once they are this full.
            int capacity = (int) Math.ceil(used / (double) Hashing.DEFAULT_LOAD_FACTOR) + 1;
            sparse = new Long2LongHashMap(capacity, Hashing.DEFAULT_LOAD_FACTOR, 0);
        }
    }

    /** Whether an array keeps the pairs: one conversation, at most {@link #DENSE_MAX_PAIRS} pairs. */
    boolean dense() {
        return dense != null;
    }

    /** The highest id seen from {@code sender} by {@code recipient} (device slots) in the conversation, or 0. */
    long get(int conversation, int recipient, int sender) {
        return dense != null ? dense[recipient * devices + sender] : sparse.get(key(conversation, recipient, sender));
    }

    void put(int conversation, int recipient, int sender, long id) {
        if (dense != null) {
            // Ids count one device's sends from 1: past an int only after two billion of them.
            dense[recipient * devices + sender] = Math.toIntExact(id);
        } else {
            sparse.put(key(conversation, recipient, sender), id);
        }
    }

    /**
     * Slots take {@link DeviceSlots#SLOT_BITS} bits each, and the conversation (at most 100,001, 17 bits) goes above
     * them, 63 bits in all.
     */
    private static long key(int conversation, int recipient, int sender) {
        return ((long) conversation << (2 * DeviceSlots.SLOT_BITS))
                | ((long) recipient << DeviceSlots.SLOT_BITS)
                | sender;
    }
}
