package io.switchboard.core.journal;

import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.session.SendView;

/**
 * The durable record of what an owner of user state must not forget: accepted messages (before their ack),
 * recipients' acknowledgements, and receipts waiting for an offline sender. Replayed at start to rebuild the queues,
 * seqs, de-duplication state and pending receipts. Not thread-safe: its owner's thread (or lock) only.
 */
public interface Journal extends AutoCloseable {
    /** Returned by {@link #accepted} when the record could not be written. */
    int FAILED = -1;

    /**
     * Records an accepted message with the seq each envelope's device gets, in envelope order, and returns the roll
     * cycle it went into: that cycle is kept until every device has acknowledged the message. Returns {@link #FAILED}
     * when the record could not be written (disk full, read-only, I/O error): the caller refuses the send and stores
     * nothing.
     */
    int accepted(SendView send, long ts, long[] seqs);

    /** The device acknowledged {@code seq}, a message journaled in {@code cycle}. */
    void acknowledged(long user, int device, long seq, int cycle);

    /** A receipt now waits for the sending device, which is offline; returns the cycle that keeps it. */
    int receiptPending(long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts);

    /** Every receipt pending for that device was delivered; each of theirs cycles is released. */
    void receiptsDelivered(long user, int device, int[] cycles, int count);

    /**
     * One hold on {@code cycle} ends without a record being written (a message dropped by retention, a receipt dropped
     * past the bound, an acknowledgement seen during replay). A cycle with no holds left, older than the cycle being
     * written, is deleted together with every older one.
     */
    void released(int cycle);

    /** Replays the journal, oldest first. Called once, before the owner takes commands. */
    void replay(JournalReplay into);

    @Override
    void close();
}
