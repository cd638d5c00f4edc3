package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2LongHashMap;

/**
 * The highest id seen per (conversation, recipient device, sending device): the oracle's order check and the client's
 * own de-duplication ({@link ClientInbox}) each keep one, and look it up for every message delivered.
 *
 * <p>With no groups (one conversation) and at most {@link #DENSE_MAX_PAIRS} pairs of devices, an array indexed by the
 * pair, 4 bytes each: 16 MB for 2,000 devices, within this machine's 32 MiB L3. The hash map it replaces there held the
 * same 4 million pairs in 128 MB, so every lookup missed the cache (a fifth of the load generator's thread at 400,000
 * msgs/s on direct). Otherwise a hash map, sized for the pairs {@code expected} messages can make (one per recipient
 * device of each), so that it does not double inside the measured window.
 *
 * <p>The oracle's table and the client's are {@link #paired}: in an array, a pair's two entries sit side by side (32
 * MB for 2,000 devices), so that the delivery that looks up both misses the cache once. Apart, in two arrays of 16 MB,
 * the lookups took 106 of the load generator's 488 samples at 500,000 msgs/s offered on direct, 16 of them the
 * client's, which missed the cache as the oracle's had; paired, the client's took none of 478.
 *
 * <p>Single-threaded: the client I/O thread.
 */
final class HighestIds {
    /** The most pairs kept in an array: 64 MB for one table, 128 MB for a pair of them. */
    static final long DENSE_MAX_PAIRS = 1L << 24;

    private final int devices;
    /**
     * At {@code stride} × (recipient × devices + sender) + {@code offset}: the highest id, 0 for none; null when
     * {@link #sparse} keeps them.
     */
    private final int[] dense;

    private final int stride;
    private final int offset;
    private final Long2LongHashMap sparse;

    HighestIds(int expected, DeviceSlots slots, int devices, int conversations) {
        this(dense(devices, conversations, 1), 1, 0, expected, slots, devices);
    }

    private HighestIds(int[] dense, int stride, int offset, int expected, DeviceSlots slots, int devices) {
        this.devices = devices;
        this.dense = dense;
        this.stride = stride;
        this.offset = offset;
        if (dense != null) {
            sparse = null;
        } else {
            long used = Math.min(
                    Math.min(TableSizes.MAX_EXPECTED, (long) expected * slots.devicesPerUser()),
                    (long) devices * devices);
            // The map's capacity is in slots, and it doubles once they are this full.
            int capacity = (int) Math.ceil(used / (double) Hashing.DEFAULT_LOAD_FACTOR) + 1;
            sparse = new Long2LongHashMap(capacity, Hashing.DEFAULT_LOAD_FACTOR, 0);
        }
    }

    /**
     * Two tables of the same pairs, each keeping its own ids: in an array, the first's entry for a pair beside the
     * second's; in maps, two maps.
     */
    static HighestIds[] paired(int expected, DeviceSlots slots, int devices, int conversations) {
        int[] dense = dense(devices, conversations, 2);
        return new HighestIds[] {
            new HighestIds(dense, 2, 0, expected, slots, devices), new HighestIds(dense, 2, 1, expected, slots, devices)
        };
    }

    /** An array for {@code tables} tables of every pair, or null when a map keeps them (groups, or too many pairs). */
    private static int[] dense(int devices, int conversations, int tables) {
        long pairs = (long) devices * devices;
        return conversations == 1 && pairs <= DENSE_MAX_PAIRS ? new int[(int) (tables * pairs)] : null;
    }

    /** The highest id seen from {@code sender} by {@code recipient} (device slots) in the conversation, or 0. */
    long get(int conversation, int recipient, int sender) {
        return dense != null
                ? dense[stride * (recipient * devices + sender) + offset]
                : sparse.get(key(conversation, recipient, sender));
    }

    void put(int conversation, int recipient, int sender, long id) {
        if (dense != null) {
            // Ids count one device's sends from 1: past an int only after two billion of them.
            dense[stride * (recipient * devices + sender) + offset] = Math.toIntExact(id);
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
