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
 * the index is rebuilt. 40 bytes a place (five longs, the group flag in the time's low bit), and, once a lookup needs
 * it, 16 bytes of index a place.
 *
 * <p>The places are held in chunks of at most {@link #CHUNK_PLACES}, so that a ring of millions of places grows by
 * moving its chunks to their new places (copying at most the one that the oldest and the newest entries share) and
 * fills the new ones only as the newest entry reaches them: a grown ring allocates what it fills, once. Grown by
 * copying whole arrays, the rings of an owner whose users read nothing allocated and zeroed twice what they held,
 * in fresh pages, on the owner's thread: 6% of the shards' samples at 500,000 msgs/s
 * (results/reference/20261207-unread-chunks).
 *
 * <p>Owner thread only.
 */
final class UnreadRing {
    static final int INITIAL_CAPACITY = 1024;
    /**
     * The most places a chunk holds: 20 MiB, more than half of G1's largest region (32 MiB), so that G1 allocates every
     * chunk outside the young generation and no young collection copies it. In chunks of 512 KiB, the rings of an
     * owner whose users read nothing took young collections of 350-420 ms in all in a window of 10 s, copying chunks
     * that live until read (results/reference/20261207-unread-chunks).
     */
    static final int CHUNK_PLACES = 1 << 19;

    private static final int FIELDS = 5;
    private static final int SENDER = 1;
    private static final int ID = 2;
    private static final int TIME = 3;
    private static final int CYCLE = 4;

    private final int maxCapacity;
    private final int maxChunkShift;
    private final long seed;
    /**
     * By chunk, at {@code FIELDS * (slot & chunkMask)}: the user, the sending device, the id (0: removed), the time (ms)
     * {@code << 1 | group}, the journal cycle. A chunk no entry has reached since the last growth is null.
     */
    private long[][] slots;

    private int mask = INITIAL_CAPACITY - 1;
    /** Log2 of the places a chunk holds: the whole ring's until it outgrows {@code 1 << maxChunkShift}. */
    private int chunkShift;

    private int chunkMask;
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
        this(maxEntries, seed, CHUNK_PLACES);
    }

    /** With chunks of at most {@code chunkPlaces}, a power of two: tests grow rings of several chunks. */
    UnreadRing(int maxEntries, long seed, int chunkPlaces) {
        long wanted = Math.max(INITIAL_CAPACITY, maxEntries + (long) maxEntries / 4);
        this.maxCapacity = (int) Math.min(1 << 30, Long.highestOneBit(wanted - 1) << 1);
        this.maxChunkShift = Integer.numberOfTrailingZeros(chunkPlaces);
        this.seed = seed;
        chunked(INITIAL_CAPACITY);
        slots[0] = new long[FIELDS << chunkShift];
    }

    long head() {
        return head;
    }

    long tail() {
        return tail;
    }

    int capacity() {
        return mask + 1;
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
        if (tail - head == capacity()) {
            makeRoom(live);
        }
        int slot = slot(tail);
        long[] entries = slots[slot >>> chunkShift];
        if (entries == null) {
            entries = new long[FIELDS << chunkShift];
            slots[slot >>> chunkShift] = entries;
        }
        int at = FIELDS * (slot & chunkMask);
        entries[at] = user;
        entries[at + SENDER] = sender;
        entries[at + ID] = id;
        entries[at + TIME] = ts << 1 | (group ? 1 : 0);
        entries[at + CYCLE] = cycle;
        return tail++;
    }

    boolean live(long position) {
        return field(slot(position), ID) != 0;
    }

    long user(long position) {
        return field(slot(position), 0);
    }

    long sender(long position) {
        return field(slot(position), SENDER);
    }

    long id(long position) {
        return field(slot(position), ID);
    }

    long ts(long position) {
        return field(slot(position), TIME) >> 1;
    }

    boolean group(long position) {
        return (field(slot(position), TIME) & 1) != 0;
    }

    int cycle(long position) {
        return (int) field(slot(position), CYCLE);
    }

    void cycle(long position, int cycle) {
        field(slot(position), CYCLE, cycle);
    }

    /** Removes the live entry at {@code position}; the oldest position moves past removed ones. */
    void remove(long position) {
        field(slot(position), ID, 0);
        while (head < tail && !live(head)) {
            head++;
        }
    }

    /** The position of the live entry for this message, or -1. */
    long find(long user, long sender, long id) {
        if (index == null) {
            index = new int[4 * capacity()];
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
            long[] entries = slots[slot >>> chunkShift];
            int fields = FIELDS * (slot & chunkMask);
            if (entries[fields + ID] == id && entries[fields + SENDER] == sender && entries[fields] == user) {
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

    private long field(int slot, int field) {
        return slots[slot >>> chunkShift][FIELDS * (slot & chunkMask) + field];
    }

    private void field(int slot, int field, long value) {
        slots[slot >>> chunkShift][FIELDS * (slot & chunkMask) + field] = value;
    }

    /** A full ring: grown when more than half of it is live and it may, else compacted. */
    private void makeRoom(int live) {
        if (live > capacity() / 2 && capacity() < maxCapacity) {
            grow();
        } else {
            compact();
        }
    }

    /** Sets the ring's shape for {@code capacity} places, with no chunk allocated. */
    private void chunked(int capacity) {
        chunkShift = Math.min(maxChunkShift, Integer.numberOfTrailingZeros(capacity));
        chunkMask = (1 << chunkShift) - 1;
        mask = capacity - 1;
        slots = new long[capacity >>> chunkShift][];
    }

    /**
     * Doubles the full ring. A ring that fits one chunk is copied whole into a chunk twice its size. Otherwise each chunk
     * keeps its entries and moves to where their positions fall under the new mask, except the chunk the oldest
     * position starts in (when it starts inside it): that chunk also holds the newest entries, which go to a new one.
     */
    private void grow() {
        long[][] oldSlots = slots;
        int oldShift = chunkShift;
        int oldMask = mask;
        chunked(2 * capacity());
        if (chunkShift > oldShift) {
            long[] entries = new long[FIELDS << chunkShift];
            for (long position = head; position < tail; position++) {
                int from = (int) position & oldMask;
                System.arraycopy(oldSlots[0], FIELDS * from, entries, FIELDS * slot(position), FIELDS);
            }
            slots[0] = entries;
        } else {
            for (long block = head & ~chunkMask; block < tail; block += chunkMask + 1) {
                int from = ((int) block & oldMask) >>> oldShift;
                int to = slot(block) >>> chunkShift;
                if (block + chunkMask < tail) {
                    slots[to] = oldSlots[from];
                } else {
                    // The newest entries, in the chunk the oldest ones start in: copied to a chunk of their own.
                    slots[to] = new long[FIELDS << chunkShift];
                    System.arraycopy(oldSlots[from], 0, slots[to], 0, FIELDS * (int) (tail - block));
                }
            }
        }
        if (index != null) {
            index = new int[4 * capacity()];
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
                    int source = slot(from);
                    int target = slot(to);
                    System.arraycopy(
                            slots[source >>> chunkShift],
                            FIELDS * (source & chunkMask),
                            slots[target >>> chunkShift],
                            FIELDS * (target & chunkMask),
                            FIELDS);
                }
                to++;
            }
        }
        for (long freed = to; freed < tail; freed++) {
            // Their entries moved: what is left of them there is not an entry.
            field(slot(freed), ID, 0);
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
        int at = hash(field(slot, 0), field(slot, SENDER), field(slot, ID)) & places;
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
