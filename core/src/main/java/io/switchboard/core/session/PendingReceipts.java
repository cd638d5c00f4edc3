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
    private int head;
    private int size;

    PendingReceipts(int maxSize) {
        this.maxSize = maxSize;
    }

    /** Keeps a receipt; false when keeping it dropped the oldest one (the number pending did not change). */
    boolean add(long id, long recipient, ReceiptKind kind, long ts) {
        boolean dropped = size == maxSize;
        if (dropped) {
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
        size++;
        return !dropped;
    }

    private void grow() {
        int capacity = Math.min(ids.length * 2, Math.max(maxSize, 4));
        long[] newIds = new long[capacity];
        long[] newRecipients = new long[capacity];
        long[] newTimestamps = new long[capacity];
        byte[] newKinds = new byte[capacity];
        for (int i = 0; i < size; i++) {
            int from = (head + i) % ids.length;
            newIds[i] = ids[from];
            newRecipients[i] = recipients[from];
            newTimestamps[i] = timestamps[from];
            newKinds[i] = kinds[from];
        }
        ids = newIds;
        recipients = newRecipients;
        timestamps = newTimestamps;
        kinds = newKinds;
        head = 0;
    }

    boolean isEmpty() {
        return size == 0;
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
