package io.switchboard.core.session;

import io.switchboard.core.protocol.ReceiptKind;

/**
 * Receipts waiting for an offline sending device, oldest first, in parallel primitive arrays. Bounded: past the
 * bound the oldest receipt is dropped and counted, because a device that never returns must not pin memory forever.
 */
final class PendingReceipts {
    private final int maxSize;
    private long[] ids = new long[4];
    private long[] recipients = new long[4];
    private long[] timestamps = new long[4];
    private byte[] kinds = new byte[4];
    private int[] cycles = new int[4];
    private int droppedCycle;
    private int head;
    private int size;

    PendingReceipts(int maxSize) {
        this.maxSize = maxSize;
    }

    /** Keeps a receipt; false when keeping it dropped the oldest one (the number pending did not change). */
    boolean add(long id, long recipient, ReceiptKind kind, long ts, int cycle) {
        boolean dropped = size == maxSize;
        if (dropped) {
            droppedCycle = cycles[head];
            head = (head + 1) % ids.length;
            size--;
        }
        if (size == ids.length) {
            grow();
        }
        int slot = (head + size) % ids.length;
        ids[slot] = id;
        recipients[slot] = recipient;
        timestamps[slot] = ts;
        kinds[slot] = kind.code();
        cycles[slot] = cycle;
        size++;
        return !dropped;
    }

    private void grow() {
        int capacity = Math.min(ids.length * 2, Math.max(maxSize, 4));
        long[] newIds = new long[capacity];
        long[] newRecipients = new long[capacity];
        long[] newTimestamps = new long[capacity];
        byte[] newKinds = new byte[capacity];
        int[] newCycles = new int[capacity];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % ids.length;
            newIds[i] = ids[from];
            newRecipients[i] = recipients[from];
            newTimestamps[i] = timestamps[from];
            newKinds[i] = kinds[from];
            newCycles[i] = cycles[from];
        }
        ids = newIds;
        recipients = newRecipients;
        timestamps = newTimestamps;
        kinds = newKinds;
        cycles = newCycles;
        head = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The journal cycle of the receipt the last {@link #add} that returned false dropped. */
    int droppedCycle() {
        return droppedCycle;
    }

    /** The journal cycles of the pending receipts, oldest first (for releasing them once delivered). */
    int[] cycles() {
        int[] held = new int[size];
        for (int i = 0; i < size; i++) {
            held[i] = cycles[(head + i) % cycles.length];
        }
        return held;
    }

    /** Forgets every pending receipt (they were delivered before a restart); returns how many. */
    int clear() {
        int cleared = size;
        size = 0;
        head = 0;
        return cleared;
    }

    /** Sends every pending receipt to the connection, oldest first, and forgets them; returns how many. */
    int drainTo(Outbound out, long connection) {
        int drained = size;
        for (; size > 0; size--) {
            out.receipt(connection, ids[head], recipients[head], ReceiptKind.fromCode(kinds[head]), timestamps[head]);
            head = (head + 1) % ids.length;
        }
        head = 0;
        return drained;
    }
}
