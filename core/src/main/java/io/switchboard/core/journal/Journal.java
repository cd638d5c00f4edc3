package io.switchboard.core.journal;

import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.session.SendView;

/**
 * The durable record of what an owner of user state must not forget: accepted messages (before their ack),
 * recipients' acknowledgements, and receipts waiting for an offline sender. Replayed at start to rebuild the queues,
 * seqs, de-duplication state and pending receipts. Not thread-safe: its owner's thread (or lock) only.
 */
public interface Journal extends AutoCloseable {
    /**
     * Records an accepted message with the seq each envelope's device gets, in envelope order. False when the record
     * could not be written (disk full, read-only, I/O error): the caller refuses the send and stores nothing.
     */
    boolean accepted(SendView send, long ts, long[] seqs);

    /** The device acknowledged {@code seq}. */
    void acknowledged(long user, int device, long seq);

    /** A receipt now waits for the sending device, which is offline. */
    void receiptPending(long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts);

    /** Every receipt pending for that device was delivered. */
    void receiptsDelivered(long user, int device);

    /** Replays the journal, oldest first. Called once, before the owner takes commands. */
    void replay(JournalReplay into);

    @Override
    void close();
}
