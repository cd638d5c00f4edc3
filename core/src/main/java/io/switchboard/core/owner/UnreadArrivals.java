package io.switchboard.core.owner;

/**
 * The owner's unread entries in the order they came, across all its users: what lets {@link UnreadMessages} forget
 * the owner's oldest entry when it holds its whole budget, in O(1) amortised and without allocating per message.
 *
 * <p>A ring of references (user, sending device, id), one appended per entry added. A read, or a drop by the per-user
 * bound or the retention, does not touch the ring: its reference goes stale ({@link #staled}) and is passed over when
 * it reaches the front ({@link #removeStale}), or left behind when the ring, full, is compacted. A compaction asks of
 * each reference whether its entry is still unread (two hash lookups) and keeps those in order; it runs only when the
 * ring is full, and leaves it at most half full (it grows, up to twice the entries the owner may keep, when more than
 * half are live), so each compaction's walk is paid for by at least as many appends as it walks. A full ring whose
 * references went stale less than half (as counted) grows without the walk, which would keep more than half and grow
 * anyway: where nothing is read, every growth walked every entry, a lookup each in lists out of the cache (2.6% of a
 * shard's time at 500,000 msgs/s on direct).
 *
 * <p>Why the first live reference is the oldest entry: references are appended as entries are added and a compaction
 * keeps their order. (A message read or dropped and then added again, as a replay may, has two references; the older
 * one makes it go a little early, which keeps the bound.)
 *
 * <p>Three primitive arrays, 24 bytes a place; allocated only when it grows, from {@value #INITIAL_CAPACITY} places up
 * to twice the owner's entry budget. Owner thread only.
 */
final class UnreadArrivals {
    static final int INITIAL_CAPACITY = 1024;

    /** Whether a referenced entry is still unread: asked only by a compaction. */
    @FunctionalInterface
    interface Unread {
        boolean unread(long user, long sender, long id);
    }

    private final int maxCapacity;
    private long[] users;
    private long[] senders;
    private long[] ids;
    /** The place of the oldest reference. */
    private int head;

    private int size;
    /**
     * References whose entry went since the last compaction, by another way than {@link #removeOldest}: an estimate
     * (an entry added again has two references, one counted stale and still live), which only chooses between
     * growing and compacting.
     */
    private int stale;

    /** {@code maxEntries}: the most entries the owner keeps unread at once. */
    UnreadArrivals(int maxEntries) {
        this.maxCapacity = (int) Math.min(2L * maxEntries, Integer.MAX_VALUE - 8);
        int capacity = Math.min(INITIAL_CAPACITY, maxCapacity);
        users = new long[capacity];
        senders = new long[capacity];
        ids = new long[capacity];
    }

    /** References, live or stale, from the oldest to the newest. */
    int size() {
        return size;
    }

    int capacity() {
        return users.length;
    }

    /**
     * Appends the reference of an entry just added. A full ring is first compacted (asking {@code unread} about each
     * reference) and, more than half of it live, grown; when every place is live even at its largest (one entry
     * removed and added again can have two references), the oldest reference goes: its entry, if still unread, is then
     * bounded by the per-user bound and the retention only.
     */
    void add(long user, long sender, long id, Unread unread) {
        if (size == users.length) {
            if (2L * stale < size && users.length < maxCapacity) {
                grow((int) Math.min(2L * users.length, maxCapacity));
            } else {
                makeRoom(unread);
            }
        }
        int at = place(size);
        users[at] = user;
        senders[at] = sender;
        ids[at] = id;
        size++;
    }

    long oldestUser() {
        return users[head];
    }

    long oldestSender() {
        return senders[head];
    }

    long oldestId() {
        return ids[head];
    }

    /** Takes the oldest reference off; only while {@link #size} is above 0. */
    private void removeOldest() {
        head = place(1);
        size--;
    }

    /** An entry went otherwise than with its reference (read, dropped): the reference is stale from now on. */
    void staled() {
        stale++;
    }

    /** Takes the oldest reference off, stale (its entry went before, or just now, {@link #staled} counted). */
    void removeStale() {
        removeOldest();
        stale = Math.max(0, stale - 1);
    }

    private void makeRoom(Unread unread) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            int from = place(i);
            if (unread.unread(users[from], senders[from], ids[from])) {
                // The kept ones move towards the front, never past a place not yet read.
                int to = place(kept++);
                users[to] = users[from];
                senders[to] = senders[from];
                ids[to] = ids[from];
            }
        }
        size = kept;
        stale = 0;
        if (size > users.length / 2 && users.length < maxCapacity) {
            grow((int) Math.min(2L * users.length, maxCapacity));
        }
        if (size == users.length) {
            removeOldest();
        }
    }

    private void grow(int capacity) {
        long[] newUsers = new long[capacity];
        long[] newSenders = new long[capacity];
        long[] newIds = new long[capacity];
        for (int i = 0; i < size; i++) {
            int from = place(i);
            newUsers[i] = users[from];
            newSenders[i] = senders[from];
            newIds[i] = ids[from];
        }
        users = newUsers;
        senders = newSenders;
        ids = newIds;
        head = 0;
    }

    /** The place {@code offset} after the oldest; the capacity need not be a power of two. */
    private int place(int offset) {
        int at = head + offset;
        return at >= users.length ? at - users.length : at;
    }
}
