package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import org.agrona.collections.Hashing;
import org.agrona.collections.Long2LongHashMap;

/**
 * The highest id seen per (conversation, recipient device, sending device), in two columns: {@link #DELIVERED}, the
 * oracle's order check, and {@link #SHOWN}, the client's own de-duplication ({@link ClientInbox}). Both are looked up
 * for every message delivered, so a pair's two sit side by side and one cache line serves both: as two tables they
 * were two misses, a third of the load generator's thread at 500,000 msgs/s on direct. Each column has one writer, so
 * the client's de-duplication stays its own, which the oracle checks.
 *
 * <p>With no groups (one conversation) and at most {@link #DENSE_MAX_PAIRS} pairs of devices, an array indexed by the
 * pair, 4 bytes a column: 32 MB for 2,000 devices. The hash maps it replaces there held the same 4 million pairs in
 * 128 MB a column, so every lookup missed the cache. Otherwise a hash map per column, sized for the pairs {@code
 * expected} messages can make (one per recipient device of each), so that it does not double inside the measured
 * window.
 *
 * <p>Single-threaded: the client I/O thread.
 */
final class HighestIds {
    /** The oracle's column: the highest id delivered to the recipient from the sender. */
    static final int DELIVERED = 0;
    /** The client's column: the highest id the recipient's application showed from the sender. */
    static final int SHOWN = 1;

    /** The most pairs kept in an array: 128 MB. */
    static final long DENSE_MAX_PAIRS = 1L << 24;

    private static final int COLUMNS = 2;

    private final int devices;
    /**
     * At (recipient × devices + sender) × 2 + column: the highest id, 0 for none; null when {@link #sparse} keeps them.
     */
    private final int[] dense;
    /** By column. */
    private final Long2LongHashMap[] sparse;

    HighestIds(int expected, DeviceSlots slots, int devices, int conversations) {
        this.devices = devices;
        long pairs = (long) devices * devices;
        if (conversations == 1 && pairs <= DENSE_MAX_PAIRS) {
            dense = new int[(int) pairs * COLUMNS];
            sparse = null;
        } else {
            dense = null;
            long used = Math.min(Math.min(TableSizes.MAX_EXPECTED, (long) expected * slots.devicesPerUser()), pairs);
            // The map's capacity is in slots, and it doubles once they are this full.
            int capacity = (int) Math.ceil(used / (double) Hashing.DEFAULT_LOAD_FACTOR) + 1;
            sparse = new Long2LongHashMap[COLUMNS];
            for (int column = 0; column < COLUMNS; column++) {
                sparse[column] = new Long2LongHashMap(capacity, Hashing.DEFAULT_LOAD_FACTOR, 0);
            }
        }
    }

    /**
     * The highest id in {@code column} ({@link #DELIVERED} or {@link #SHOWN}) from {@code sender} to {@code recipient}
     * (device slots) in the conversation, or 0.
     */
    long get(int column, int conversation, int recipient, int sender) {
        return dense != null
                ? dense[(recipient * devices + sender) * COLUMNS + column]
                : sparse[column].get(key(conversation, recipient, sender));
    }

    void put(int column, int conversation, int recipient, int sender, long id) {
        if (dense != null) {
            // Ids count one device's sends from 1: past an int only after two billion of them.
            dense[(recipient * devices + sender) * COLUMNS + column] = Math.toIntExact(id);
        } else {
            sparse[column].put(key(conversation, recipient, sender), id);
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
