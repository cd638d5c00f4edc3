package io.switchboard.core.owner;

/** One device as its owner thread sees it: its live connection, its queue and how far delivery has got. */
final class DeviceState {
    /** The connection of the current session, or {@link #OFFLINE}. */
    long connection = OFFLINE;

    /** The next seq to send on the current session: seqs below it were sent and await {@code recv}. */
    long cursor;

    final int device;
    final DeviceQueue queue;
    /** Receipts this (sending) device does not have yet; null until it is owed one. */
    PendingReceipts receipts;

    /** Whether the current (or last) session acknowledges receipts ({@code hello} with {@code receiptAcks}). */
    boolean receiptAcks;

    /** Whether the queue was last published full ({@link MessageStore#full}). */
    boolean publishedFull;
    /** A push went out since the device's last session: no other until a session opens ({@link OfflinePushes}). */
    boolean pushed;

    /** The next unused rseq, or 0 before the first: see {@link #rseqFrom}. */
    long nextRseq;

    static final long OFFLINE = 0;
    private static final long RSEQS_PER_MS = 1024;

    DeviceState(int device, DeviceQueue queue) {
        this.device = device;
        this.queue = queue;
        this.cursor = queue.headSeq();
    }

    /**
     * The next rseq to give a receipt. The first one comes from the clock (ms × 1,024), so that a device's rseqs keep
     * increasing across server restarts (no device gets 1,024 receipts a millisecond) and a client can drop a receipt
     * sent again by its rseq alone.
     */
    long rseqFrom(long nowMs) {
        return nextRseq != 0 ? nextRseq : nowMs * RSEQS_PER_MS;
    }

    boolean online() {
        return connection != OFFLINE;
    }
}
