package io.switchboard.core.owner;

import java.util.Arrays;

/**
 * The unread entries of all of one owner's users, in the order they came: each a message one user was delivered and has
 * not read yet (user, sending device, id, time, group flag and the journal cycle that holds it), at a position that
 * only grows. A removed entry is marked by id 0 (ids are positive) and passed over; the oldest position moves past
 * removed entries as they reach it.
 *
 * <p>Why one ring for all users, and not a list per user: an owner holding millions of entries for thousands of users
 * touched a list out of the cache for every add, and another (its user's oldest) for every entry its bound forgot, at
 * 250 adds a second per user. Here an add writes the next place and the owner's forget reads the oldest: memory in
 * order, whatever the budget. Keeping each user's lists small (a budget of 32 MiB instead of 384) made sharded routing
 * on direct 17-21% faster; not keeping them at all, 11-16% (results/reference/20261207-unread-footprint). This ring
 * made it 23% faster than the lists, in alternating runs (results/reference/20261207-unread-ring).
 *
 * <p>Found by (user, sending device, id) through an open-addressing index (linear probing) of places, brought up to
 * date by the lookup that needs it, not by each add: an owner whose users read nothing never builds it. A removed
 * entry stays in the index until the index is rebuilt: a lookup passes over it, since its id no longer matches.
 *
 * <p>Bounded: the caller keeps at most {@code maxEntries} live. When the ring is full it grows (doubling, more than half
 * of it live, up to the power of two at or above 1.25 × {@code maxEntries}) or is compacted: its live entries move
 * up to the oldest position, in order, which frees at least a fifth of it; positions then change ({@link #moves}) and
 * the index is rebuilt. 36 bytes a place (four longs, the group flag in the time's low bit, and an int), and, once a
 * lookup needs it, 16 bytes of index a place.
 *
 * <p>Owner thread only.
 */
final class UnreadRing {
    static final int INITIAL_CAPACITY = 1024;
    private static final int FIELDS = 4;
    private static final int SENDER = 1;
    private static final int ID = 2;
    private static final int TIME = 3;

    private final int maxCapacity;
    private final long seed;
    /** At {@code FIELDS * slot}: the user, the sending device, the id (0: removed), the time (ms) {@code << 1 | group}. */
    private long[] slots = new long[FIELDS * INITIAL_CAPACITY];

    private int[] cycles = new int[INITIAL_CAPACITY];
    private int mask = INITIAL_CAPACITY - 1;
    /** The oldest position, live unless the ring is empty. */
    private long head;
    /** The next position to fill. */
    private long tail;
    /** Slot + 1 of an entry, 0 for a free place; four places a slot, null until the first lookup. */
    private int[] index;
    /** Positions from {@link #head} below this are in the index; those from it to {@link #tail} not yet. */
    private long indexed;
    /** Places filled since the index was last emptied, stale ones included. */
    private int indexFilled;

    private int moves;

    /** {@code seed} varies the index's hash, so that a sender cannot choose ids that all land in one place. */
    UnreadRing(int maxEntries, long seed) {
        long wanted = Math.max(INITIAL_CAPACITY, maxEntries + (long) maxEntries / 4);
        this.maxCapacity = (int) Math.min(1 << 30, Long.highestOneBit(wanted - 1) << 1);
        this.seed = seed;
    }

    long head() {
        return head;
    }

    long tail() {
        return tail;
    }

    int capacity() {
        return cycles.length;
    }

    /** How many compactions moved entries: a position kept from before the last one no longer names its entry. */
    int moves() {
        return moves;
    }

    /**
     * Appends an entry of a message its user does not have unread (the caller checked); {@code live}: the entries
     * live now, below {@code maxEntries}. Returns its position.
     */
    long add(long user, long sender, long id, long ts, int cycle, boolean group, int live) {
        if (tail - head == cycles.length) {
            makeRoom(live);
        }
        int at = FIELDS * slot(tail);
        slots[at] = user;
        slots[at + SENDER] = sender;
        slots[at + ID] = id;
        slots[at + TIME] = ts << 1 | (group ? 1 : 0);
        cycles[slot(tail)] = cycle;
        return tail++;
    }

    boolean live(long position) {
        return slots[FIELDS * slot(position) + ID] != 0;
    }

    long user(long position) {
        return slots[FIELDS * slot(position)];
    }

    long sender(long position) {
        return slots[FIELDS * slot(position) + SENDER];
    }

    long id(long position) {
        return slots[FIELDS * slot(position) + ID];
    }

    long ts(long position) {
        return slots[FIELDS * slot(position) + TIME] >> 1;
    }

    boolean group(long position) {
        return (slots[FIELDS * slot(position) + TIME] & 1) != 0;
    }

    int cycle(long position) {
        return cycles[slot(position)];
    }

    void cycle(long position, int cycle) {
        cycles[slot(position)] = cycle;
    }

    /** Removes the live entry at {@code position}; the oldest position moves past removed ones. */
    void remove(long position) {
        slots[FIELDS * slot(position) + ID] = 0;
        while (head < tail && !live(head)) {
            head++;
        }
    }

    /** The position of the live entry for this message, or -1. */
    long find(long user, long sender, long id) {
        if (index == null) {
            index = new int[4 * cycles.length];
        }
        // Removed entries below the oldest position need no place: their slots may hold newer entries by now.
        indexed = Math.max(indexed, head);
        if (indexFilled + (tail - indexed) > index.length / 2) {
            rebuildIndex();
        }
        for (; indexed < tail; indexed++) {
            if (live(indexed)) {
                insert(slot(indexed));
            }
        }
        int places = index.length - 1;
        for (int at = hash(user, sender, id) & places; index[at] != 0; at = (at + 1) & places) {
            int slot = index[at] - 1;
            int fields = FIELDS * slot;
            if (slots[fields + ID] == id && slots[fields + SENDER] == sender && slots[fields] == user) {
                return positionOf(slot);
            }
        }
        return -1;
    }

    /** The position in [head, tail) whose slot is {@code slot}. */
    private long positionOf(int slot) {
        return head + ((slot - slot(head)) & mask);
    }

    private int slot(long position) {
        return (int) position & mask;
    }

    /** A full ring: grown when more than half of it is live and it may, else compacted. */
    private void makeRoom(int live) {
        if (live > cycles.length / 2 && cycles.length < maxCapacity) {
            grow();
        } else {
            compact();
        }
    }

    private void grow() {
        int capacity = 2 * cycles.length;
        long[] newSlots = new long[FIELDS * capacity];
        int[] newCycles = new int[capacity];
        int newMask = capacity - 1;
        for (long position = head; position < tail; position++) {
            int from = slot(position);
            int to = (int) position & newMask;
            System.arraycopy(slots, FIELDS * from, newSlots, FIELDS * to, FIELDS);
            newCycles[to] = cycles[from];
        }
        slots = newSlots;
        cycles = newCycles;
        mask = newMask;
        if (index != null) {
            index = new int[4 * capacity];
        }
        indexed = head;
        indexFilled = 0;
    }

    /** Moves the live entries up to the oldest position, in order; the index is emptied for the next lookup. */
    private void compact() {
        long to = head;
        for (long from = head; from < tail; from++) {
            if (live(from)) {
                if (to != from) {
                    System.arraycopy(slots, FIELDS * slot(from), slots, FIELDS * slot(to), FIELDS);
                    cycles[slot(to)] = cycles[slot(from)];
                }
                to++;
            }
        }
        for (long freed = to; freed < tail; freed++) {
            // Their entries moved: what is left of them there is not an entry.
            slots[FIELDS * slot(freed) + ID] = 0;
        }
        tail = to;
        moves++;
        if (index != null) {
            Arrays.fill(index, 0);
        }
        indexed = head;
        indexFilled = 0;
    }

    /** Empties the index of its stale places and puts back the live entries it had. */
    private void rebuildIndex() {
        Arrays.fill(index, 0);
        indexFilled = 0;
        for (long position = head; position < indexed; position++) {
            if (live(position)) {
                insert(slot(position));
            }
        }
    }

    private void insert(int slot) {
        int places = index.length - 1;
        int fields = FIELDS * slot;
        int at = hash(slots[fields], slots[fields + SENDER], slots[fields + ID]) & places;
        while (index[at] != 0) {
            at = (at + 1) & places;
        }
        index[at] = slot + 1;
        indexFilled++;
    }

    /** Murmur3's 64-bit finalizer over the key and the seed. */
    private int hash(long user, long sender, long id) {
        long h = (user * 0x9E3779B97F4A7C15L + sender) * 0x9E3779B97F4A7C15L + id + seed;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
