package io.switchboard.core.owner;

import java.util.Arrays;

/**
 * The messages one user was delivered and has not read yet, found by sending device ({@link
 * io.switchboard.core.message.SenderKey}) and id, in primitive arrays: entries in the order they came, a removed one
 * marked by id 0 (ids are positive) until the arrays are compacted, and an open-addressing index (linear probing,
 * backward-shift deletion) from the key to the entry's slot. Each entry keeps the message's time (for the retention),
 * whether it is a group message, and the journal cycle that holds it. Nothing is allocated but when the arrays grow;
 * the caller bounds how many entries are live, and the arrays stay below four times that.
 *
 * <p>Owner thread only.
 */
final class UnreadList {
    private static final int INITIAL_CAPACITY = 8;

    private final long seed;
    private long[] senders = new long[INITIAL_CAPACITY];
    /** 0: the entry was removed. */
    private long[] ids = new long[INITIAL_CAPACITY];

    private long[] timestamps = new long[INITIAL_CAPACITY];
    private int[] cycles = new int[INITIAL_CAPACITY];
    private boolean[] groups = new boolean[INITIAL_CAPACITY];
    /** Slot + 1 of an entry, or 0 for a free place; twice the capacity, so at most half full. */
    private int[] index = new int[2 * INITIAL_CAPACITY];
    /** The oldest live entry's slot when {@link #size} is above 0. */
    private int head;
    /** The next slot to fill. */
    private int end;

    private int size;

    /** {@code seed} varies the index's hash, so that a sender cannot choose ids that all land in one place. */
    UnreadList(long seed) {
        this.seed = seed;
    }

    int size() {
        return size;
    }

    /** The slot of the live entry for this message, or -1. */
    int find(long sender, long id) {
        int mask = index.length - 1;
        for (int at = hash(sender, id) & mask; index[at] != 0; at = (at + 1) & mask) {
            int slot = index[at] - 1;
            if (ids[slot] == id && senders[slot] == sender) {
                return slot;
            }
        }
        return -1;
    }

    /** Adds a message the list does not have (the caller checked, and made room under its bound). */
    void add(long sender, long id, long ts, int cycle, boolean group) {
        if (end == ids.length) {
            makeRoom();
        }
        int slot = end++;
        senders[slot] = sender;
        ids[slot] = id;
        timestamps[slot] = ts;
        cycles[slot] = cycle;
        groups[slot] = group;
        insert(slot);
        size++;
    }

    /** Removes the live entry in {@code slot}. */
    void remove(int slot) {
        unindex(slot);
        ids[slot] = 0;
        size--;
        if (size == 0) {
            head = 0;
            end = 0;
            return;
        }
        while (ids[head] == 0) {
            head++;
        }
    }

    /** The slot of the oldest live entry; only while {@link #size} is above 0. */
    int oldest() {
        return head;
    }

    /** The first slot past the entries; slots from {@link #oldest()} below it are live when {@link #live} says so. */
    int end() {
        return end;
    }

    boolean live(int slot) {
        return ids[slot] != 0;
    }

    long sender(int slot) {
        return senders[slot];
    }

    long id(int slot) {
        return ids[slot];
    }

    long ts(int slot) {
        return timestamps[slot];
    }

    boolean group(int slot) {
        return groups[slot];
    }

    int cycle(int slot) {
        return cycles[slot];
    }

    void cycle(int slot, int cycle) {
        cycles[slot] = cycle;
    }

    /** Compacts the live entries to the front, into arrays twice as large when more than half are live. */
    private void makeRoom() {
        boolean grow = size > ids.length / 2;
        int capacity = grow ? ids.length * 2 : ids.length;
        long[] newSenders = grow ? new long[capacity] : senders;
        long[] newIds = grow ? new long[capacity] : ids;
        long[] newTimestamps = grow ? new long[capacity] : timestamps;
        int[] newCycles = grow ? new int[capacity] : cycles;
        boolean[] newGroups = grow ? new boolean[capacity] : groups;
        int to = 0;
        for (int from = head; from < end; from++) {
            if (ids[from] != 0) {
                newSenders[to] = senders[from];
                newIds[to] = ids[from];
                newTimestamps[to] = timestamps[from];
                newCycles[to] = cycles[from];
                newGroups[to] = groups[from];
                to++;
            }
        }
        Arrays.fill(newIds, to, capacity, 0);
        senders = newSenders;
        ids = newIds;
        timestamps = newTimestamps;
        cycles = newCycles;
        groups = newGroups;
        head = 0;
        end = to;
        if (grow) {
            index = new int[2 * capacity];
        } else {
            Arrays.fill(index, 0);
        }
        for (int slot = 0; slot < end; slot++) {
            insert(slot);
        }
    }

    private void insert(int slot) {
        int mask = index.length - 1;
        int at = hash(senders[slot], ids[slot]) & mask;
        while (index[at] != 0) {
            at = (at + 1) & mask;
        }
        index[at] = slot + 1;
    }

    /** Takes the slot out of the index, moving back the entries after it that probed past it. */
    private void unindex(int slot) {
        int mask = index.length - 1;
        int gap = hash(senders[slot], ids[slot]) & mask;
        while (index[gap] != slot + 1) {
            gap = (gap + 1) & mask;
        }
        for (int at = (gap + 1) & mask; index[at] != 0; at = (at + 1) & mask) {
            int other = index[at] - 1;
            int home = hash(senders[other], ids[other]) & mask;
            // It may fill the gap when the gap lies on its probe path, from its home to where it is.
            if (((at - home) & mask) >= ((at - gap) & mask)) {
                index[gap] = index[at];
                gap = at;
            }
        }
        index[gap] = 0;
    }

    /** Murmur3's 64-bit finalizer over the key and the seed. */
    private int hash(long sender, long id) {
        long h = sender * 0x9E3779B97F4A7C15L + id + seed;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
