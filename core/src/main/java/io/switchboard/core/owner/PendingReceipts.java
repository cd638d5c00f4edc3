package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;
import org.agrona.collections.IntArrayList;

/**
 * The receipts one sending device does not have yet, oldest first, in parallel primitive arrays: those waiting for it
 * while it is offline, and, on a session that asked for receipt acks, those sent but not yet acknowledged. A receipt
 * names a recipient user, or a group ({@code groups[i]} not null). Each has the journal cycle that keeps it
 * ({@link Journal#FAILED} when it is not journaled: sent to an online device, or a group receipt) and its {@code rseq}
 * once it was sent with one (0 before).
 *
 * <p>Bounded: past the bound the oldest receipt is dropped and counted, and past the retention too, because a device
 * that never returns (or never acknowledges) must not pin memory or journal files forever.
 *
 * <p>Owner thread only.
 */
final class PendingReceipts {
    private final int maxSize;
    private long[] ids = new long[4];
    private long[] recipients = new long[4];
    private String[] groups = new String[4];
    private long[] timestamps = new long[4];
    private long[] rseqs = new long[4];
    private byte[] kinds = new byte[4];
    private int[] cycles = new int[4];
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
            droppedCycle = cycles[head];
            journaled -= droppedCycle != Journal.FAILED ? 1 : 0;
            groups[head] = null;
            head = (head + 1) % ids.length;
            size--;
        }
        if (size == ids.length) {
            grow();
        }
        int slot = (head + size) % ids.length;
        ids[slot] = id;
        recipients[slot] = recipient;
        groups[slot] = group;
        timestamps[slot] = ts;
        rseqs[slot] = rseq;
        kinds[slot] = kind.code();
        cycles[slot] = cycle;
        journaled += cycle != Journal.FAILED ? 1 : 0;
        size++;
        return !dropped;
    }

    private void grow() {
        int capacity = Math.min(ids.length * 2, Math.max(maxSize, 4));
        long[] newIds = new long[capacity];
        long[] newRecipients = new long[capacity];
        String[] newGroups = new String[capacity];
        long[] newTimestamps = new long[capacity];
        long[] newRseqs = new long[capacity];
        byte[] newKinds = new byte[capacity];
        int[] newCycles = new int[capacity];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % ids.length;
            newIds[i] = ids[from];
            newRecipients[i] = recipients[from];
            newGroups[i] = groups[from];
            newTimestamps[i] = timestamps[from];
            newRseqs[i] = rseqs[from];
            newKinds[i] = kinds[from];
            newCycles[i] = cycles[from];
        }
        ids = newIds;
        recipients = newRecipients;
        groups = newGroups;
        timestamps = newTimestamps;
        rseqs = newRseqs;
        kinds = newKinds;
        cycles = newCycles;
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
            held[i] = cycles[(head + i) % cycles.length];
        }
        return held;
    }

    /**
     * Tells {@code visitor} every held receipt of {@code user}'s {@code device}; one with an rseq went out on the
     * current session when {@code online}. Reads only.
     */
    void visit(long user, int device, boolean online, HeldVisitor visitor) {
        for (int i = 0; i < size; i++) {
            int slot = (head + i) % ids.length;
            visitor.receipt(user, device, ids[slot], ReceiptKind.fromCode(kinds[slot]), online && rseqs[slot] != 0);
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
            int slot = (head + i) % ids.length;
            if (rseqs[slot] == 0) {
                rseqs[slot] = nextRseq++;
            }
            write(out, connection, scratch, slot, rseqs[slot]);
        }
        return nextRseq;
    }

    /**
     * Forgets the receipts the device acknowledged: every sent one up to {@code rseq}, oldest first. The cycles of
     * those that were journaled go into {@code released}; returns how many receipts were forgotten.
     */
    int acknowledge(long rseq, IntArrayList released) {
        int acknowledged = 0;
        while (size > 0 && rseqs[head] != 0 && rseqs[head] <= rseq) {
            if (cycles[head] != Journal.FAILED) {
                released.addInt(cycles[head]);
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
        while (size > 0 && timestamps[head] < oldestTs) {
            if (cycles[head] != Journal.FAILED) {
                released.addInt(cycles[head]);
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
            int slot = (head + i) % ids.length;
            if (cycles[slot] == Journal.FAILED && groups[slot] == null) {
                cycles[slot] = journal.receiptPending(
                        user, device, ids[slot], recipients[slot], ReceiptKind.fromCode(kinds[slot]), timestamps[slot]);
                journaled += cycles[slot] != Journal.FAILED ? 1 : 0;
            }
        }
    }

    private void removeHead() {
        journaled -= cycles[head] != Journal.FAILED ? 1 : 0;
        groups[head] = null;
        head = (head + 1) % ids.length;
        size--;
    }

    private void write(Outbound out, long connection, Frame scratch, int slot, long rseq) {
        write(
                out,
                connection,
                scratch,
                ids[slot],
                recipients[slot],
                groups[slot],
                ReceiptKind.fromCode(kinds[slot]),
                timestamps[slot],
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
