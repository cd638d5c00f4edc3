package io.switchboard.core.owner;

import java.util.Arrays;

/**
 * The messages one user was delivered and has not read yet, found by sending device ({@link
 * io.switchboard.core.message.SenderKey}) and id, in primitive arrays: entries in the order they came, a removed one
 * marked by id 0 (ids are positive) until the arrays are compacted, and an open-addressing index (linear probing) from
 * the key to the entry's slot. Each entry keeps the message's time (for the retention), whether it is a group message,
 * and the journal cycle that holds it. Nothing is allocated but when the arrays grow; the caller bounds how many
 * entries are live, and the arrays stay below four times that.
 *
 * <p>The index is brought up to date by the lookup that needs it, not by each add: a list only added to (a user who
 * reads nothing, or whose reads come long after) never pays for it. An add that placed its entry at once missed the
 * cache in the index of a cold list: 4% of a shard's time at 500,000 msgs/s on direct, where nothing is read.
 *
 * <p>A removed entry stays in the index until the next compaction clears it: a lookup passes over it, since its id
 * no longer matches. Taking it out at once (backward-shift deletion) probed the index again, out of the cache in an
 * owner of millions of entries, for every message an owner at its bound forgets: 4% of a shard's time. Slots are not
 * used again before the compaction, so the index never holds more places than the arrays have slots, half its own.
 *
 * <p>Laid out for the cache, since an owner holding millions of entries finds each user's list cold: an entry's
 * sender, id and time sit side by side in {@link #slots}, the group flag riding in the time's low bit, so a lookup
 * reads one line of entries (two where an entry straddles them) and an add writes two with the cycle's, where five
 * arrays wrote five and the time's own array made it three.
 *
 * <p>Owner thread only.
 */
final class UnreadList {
    private static final int INITIAL_CAPACITY = 8;
    private static final int FIELDS = 3;
    private static final int ID = 1;
    private static final int TIME = 2;

    private final long seed;
    /**
     * Slot s's sender at {@code FIELDS * s}, id at {@code + ID} (0: the entry was removed), and at {@code + TIME} the
     * message's time (ms) shifted up one bit, with 1 in the low bit for a group message.
     */
    private long[] slots = new long[FIELDS * INITIAL_CAPACITY];

    private int[] cycles = new int[INITIAL_CAPACITY];
    /** Slot + 1 of an entry, or 0 for a free place; twice the capacity, so at most half full. */
    private int[] index = new int[2 * INITIAL_CAPACITY];
    /** Slots below this are in {@link #index}; those from it to {@link #end} are not yet. */
    private int indexed;
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
        for (; indexed < end; indexed++) {
            if (slots[FIELDS * indexed + ID] != 0) {
                insert(indexed);
            }
        }
        int mask = index.length - 1;
        for (int at = hash(sender, id) & mask; index[at] != 0; at = (at + 1) & mask) {
            int slot = index[at] - 1;
            if (slots[FIELDS * slot + ID] == id && slots[FIELDS * slot] == sender) {
                return slot;
            }
        }
        return -1;
    }

    /** Adds a message the list does not have (the caller checked, and made room under its bound). */
    void add(long sender, long id, long ts, int cycle, boolean group) {
        if (end == cycles.length) {
            makeRoom();
        }
        int slot = end++;
        int at = FIELDS * slot;
        slots[at] = sender;
        slots[at + ID] = id;
        slots[at + TIME] = ts << 1 | (group ? 1 : 0);
        cycles[slot] = cycle;
        size++;
    }

    /** Removes the live entry in {@code slot}; its place in the index goes at the next compaction. */
    void remove(int slot) {
        slots[FIELDS * slot + ID] = 0;
        size--;
        if (size == 0) {
            head = end;
            return;
        }
        while (slots[FIELDS * head + ID] == 0) {
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
        return slots[FIELDS * slot + ID] != 0;
    }

    long sender(int slot) {
        return slots[FIELDS * slot];
    }

    long id(int slot) {
        return slots[FIELDS * slot + ID];
    }

    long ts(int slot) {
        return slots[FIELDS * slot + TIME] >> 1;
    }

    boolean group(int slot) {
        return (slots[FIELDS * slot + TIME] & 1) != 0;
    }

    int cycle(int slot) {
        return cycles[slot];
    }

    void cycle(int slot, int cycle) {
        cycles[slot] = cycle;
    }

    /**
     * Compacts the live entries to the front, into arrays twice as large when more than half are live; the index is
     * emptied, for the next lookup to fill.
     */
    private void makeRoom() {
        boolean grow = size > cycles.length / 2;
        int capacity = grow ? cycles.length * 2 : cycles.length;
        long[] newSlots = grow ? new long[FIELDS * capacity] : slots;
        int[] newCycles = grow ? new int[capacity] : cycles;
        int to = 0;
        for (int from = head; from < end; from++) {
            if (slots[FIELDS * from + ID] != 0) {
                System.arraycopy(slots, FIELDS * from, newSlots, FIELDS * to, FIELDS);
                newCycles[to] = cycles[from];
                to++;
            }
        }
        Arrays.fill(newSlots, FIELDS * to, FIELDS * capacity, 0);
        slots = newSlots;
        cycles = newCycles;
        head = 0;
        end = to;
        if (grow) {
            index = new int[2 * capacity];
        } else if (indexed > 0) {
            Arrays.fill(index, 0);
        }
        indexed = 0;
    }

    private void insert(int slot) {
        int mask = index.length - 1;
        int at = hash(slots[FIELDS * slot], slots[FIELDS * slot + ID]) & mask;
        while (index[at] != 0) {
            at = (at + 1) & mask;
        }
        index[at] = slot + 1;
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
