package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;
import org.agrona.collections.IntArrayList;

/**
 * The receipts one sending device does not have yet, oldest first, in a ring of primitive entries: those waiting for
 * it while it is offline, and, on a session that asked for receipt acks, those sent but not yet acknowledged. A receipt
 * names a recipient user, or a group ({@code groups[i]} not null). Each has the journal cycle that keeps it
 * ({@link Journal#FAILED} when it is not journaled: sent to an online device, or a group receipt) and its {@code rseq}
 * once it was sent with one (0 before).
 *
 * <p>An entry is {@value #STRIDE} longs side by side in {@link #entries} (id, recipient, time, rseq, and the kind and
 * cycle in one), not a slot in seven arrays: the owner takes a receipt for a device it has not touched for thousands of
 * messages, so every array touched was a cache miss of its own. The group names, which one-to-one receipts never
 * have, take an array only once a group receipt comes.
 *
 * <p>Bounded: past the bound the oldest receipt is dropped and counted, and past the retention too, because a device
 * that never returns (or never acknowledges) must not pin memory or journal files forever.
 *
 * <p>Owner thread only.
 */
final class PendingReceipts {
    /** Longs per entry, at these offsets. */
    static final int STRIDE = 5;

    private static final int ID = 0;
    private static final int RECIPIENT = 1;
    private static final int TS = 2;
    private static final int RSEQ = 3;
    /** The kind's code in the high 32 bits, the cycle in the low 32. */
    private static final int KIND_CYCLE = 4;

    private static final int INITIAL_CAPACITY = 4;

    private final int maxSize;
    private long[] entries = new long[INITIAL_CAPACITY * STRIDE];
    /** Entries {@link #entries} has room for. */
    private int capacity = INITIAL_CAPACITY;
    /** Null until a group receipt is held; then parallel to the entries. */
    private String[] groups;

    private int droppedCycle;
    private int head;
    private int size;
    /** How many of the held receipts are journaled (their cycle is not {@link Journal#FAILED}). */
    private int journaled;

    PendingReceipts(int maxSize) {
        this.maxSize = maxSize;
    }

    /**
     * Keeps a receipt; false when keeping it dropped the oldest one (the number held did not change), whose cycle
     * {@link #droppedCycle()} then tells.
     */
    boolean add(long id, long recipient, String group, ReceiptKind kind, long ts, int cycle, long rseq) {
        boolean dropped = size == maxSize;
        if (dropped) {
            droppedCycle = cycle(head);
            removeHead();
        }
        if (size == capacity) {
            grow();
        }
        int slot = slot(size);
        int at = slot * STRIDE;
        long[] entries = this.entries;
        entries[at + ID] = id;
        entries[at + RECIPIENT] = recipient;
        entries[at + TS] = ts;
        entries[at + RSEQ] = rseq;
        entries[at + KIND_CYCLE] = ((long) kind.code() << 32) | (cycle & 0xFFFF_FFFFL);
        if (group != null || groups != null) {
            group(slot, group);
        }
        journaled += cycle != Journal.FAILED ? 1 : 0;
        size++;
        return !dropped;
    }

    /** The slot {@code offset} entries after the oldest; the capacity need not be a power of two. */
    private int slot(int offset) {
        int slot = head + offset;
        return slot >= capacity ? slot - capacity : slot;
    }

    private int cycle(int slot) {
        return (int) entries[slot * STRIDE + KIND_CYCLE];
    }

    private ReceiptKind kind(int slot) {
        return ReceiptKind.fromCode((int) (entries[slot * STRIDE + KIND_CYCLE] >>> 32));
    }

    private long rseq(int slot) {
        return entries[slot * STRIDE + RSEQ];
    }

    private String group(int slot) {
        return groups == null ? null : groups[slot];
    }

    private void group(int slot, String group) {
        if (groups == null) {
            groups = new String[capacity];
        }
        groups[slot] = group;
    }

    private void grow() {
        int newCapacity = Math.min(capacity * 2, Math.max(maxSize, INITIAL_CAPACITY));
        long[] newEntries = new long[newCapacity * STRIDE];
        String[] newGroups = groups == null ? null : new String[newCapacity];
        for (int i = 0; i < size; i++) {
            int from = slot(i);
            System.arraycopy(entries, from * STRIDE, newEntries, i * STRIDE, STRIDE);
            if (newGroups != null) {
                newGroups[i] = groups[from];
            }
        }
        entries = newEntries;
        groups = newGroups;
        capacity = newCapacity;
        head = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Whether any held receipt is journaled. */
    boolean anyJournaled() {
        return journaled > 0;
    }

    /** The journal cycle of the receipt the last {@link #add} that returned false dropped. */
    int droppedCycle() {
        return droppedCycle;
    }

    /** The journal cycles of the held receipts, oldest first (for releasing them once delivered). */
    int[] cycles() {
        int[] held = new int[size];
        for (int i = 0; i < size; i++) {
            held[i] = cycle(slot(i));
        }
        return held;
    }

    /**
     * Tells {@code visitor} every held receipt of {@code user}'s {@code device}; one with an rseq went out on the
     * current session when {@code online}. Reads only.
     */
    void visit(long user, int device, boolean online, HeldVisitor visitor) {
        for (int i = 0; i < size; i++) {
            int slot = slot(i);
            visitor.receipt(user, device, entries[slot * STRIDE + ID], kind(slot), online && rseq(slot) != 0);
        }
    }

    /** Forgets every held receipt (they were delivered before a restart); returns how many. */
    int clear() {
        int cleared = size;
        while (size > 0) {
            removeHead();
        }
        head = 0;
        return cleared;
    }

    /** Sends every held receipt without {@code rseq} to a session that does not acknowledge them, and forgets them. */
    int drainTo(Outbound out, long connection, Frame scratch) {
        int drained = size;
        for (; size > 0; removeHead()) {
            write(out, connection, scratch, head, 0);
        }
        head = 0;
        return drained;
    }

    /**
     * Sends every held receipt to a session that acknowledges them, keeping them until it does: one that went out
     * before keeps its {@code rseq} (the client knows it by that), the others take the next ones from {@code
     * nextRseq}. Returns the next unused rseq.
     */
    long sendAll(Outbound out, long connection, Frame scratch, long nextRseq) {
        for (int i = 0; i < size; i++) {
            int slot = slot(i);
            if (rseq(slot) == 0) {
                entries[slot * STRIDE + RSEQ] = nextRseq++;
            }
            write(out, connection, scratch, slot, rseq(slot));
        }
        return nextRseq;
    }

    /**
     * Forgets the receipts the device acknowledged: every sent one up to {@code rseq}, oldest first. The cycles of
     * those that were journaled go into {@code released}; returns how many receipts were forgotten.
     */
    int acknowledge(long rseq, IntArrayList released) {
        int acknowledged = 0;
        while (size > 0 && rseq(head) != 0 && rseq(head) <= rseq) {
            if (cycle(head) != Journal.FAILED) {
                released.addInt(cycle(head));
            }
            removeHead();
            acknowledged++;
        }
        return acknowledged;
    }

    /**
     * Forgets the oldest receipts held since before {@code oldestTs} (ms), up to the first newer one; the cycles of
     * those that were journaled go into {@code released}. Returns how many were forgotten.
     */
    int expire(long oldestTs, IntArrayList released) {
        int expired = 0;
        while (size > 0 && entries[head * STRIDE + TS] < oldestTs) {
            if (cycle(head) != Journal.FAILED) {
                released.addInt(cycle(head));
            }
            removeHead();
            expired++;
        }
        return expired;
    }

    /**
     * Journals every one-to-one receipt held only in memory (sent, not yet acknowledged, to a session that just
     * closed), so that it survives a restart as a receipt waiting for an offline device does.
     */
    void journalUnacknowledged(Journal journal, long user, int device) {
        for (int i = 0; i < size; i++) {
            int slot = slot(i);
            int at = slot * STRIDE;
            if (cycle(slot) == Journal.FAILED && group(slot) == null) {
                int cycle = journal.receiptPending(
                        user, device, entries[at + ID], entries[at + RECIPIENT], kind(slot), entries[at + TS]);
                entries[at + KIND_CYCLE] = (entries[at + KIND_CYCLE] & 0xFFFF_FFFF_0000_0000L) | (cycle & 0xFFFF_FFFFL);
                journaled += cycle != Journal.FAILED ? 1 : 0;
            }
        }
    }

    private void removeHead() {
        journaled -= cycle(head) != Journal.FAILED ? 1 : 0;
        if (groups != null) {
            groups[head] = null;
        }
        head = slot(1);
        size--;
    }

    private void write(Outbound out, long connection, Frame scratch, int slot, long rseq) {
        int at = slot * STRIDE;
        write(
                out,
                connection,
                scratch,
                entries[at + ID],
                entries[at + RECIPIENT],
                group(slot),
                kind(slot),
                entries[at + TS],
                rseq);
    }

    /** Writes one receipt: about a one-to-one message, or (when {@code group} is not null) a group message. */
    static void write(
            Outbound out,
            long connection,
            Frame scratch,
            long id,
            long recipient,
            String group,
            ReceiptKind kind,
            long ts,
            long rseq) {
        if (group == null) {
            out.receipt(connection, id, recipient, kind, ts, rseq);
        } else {
            out.frame(
                    connection,
                    scratch.reset(FrameType.RECEIPT)
                            .id(id)
                            .toGroup(group)
                            .kind(kind)
                            .ts(ts)
                            .rseq(rseq));
        }
    }
}
