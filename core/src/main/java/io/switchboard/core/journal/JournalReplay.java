package io.switchboard.core.journal;

import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.session.SendView;

/** Receives a journal's records at start, in the order they were written. */
public interface JournalReplay {
    void onAccepted(SendView send, long ts, long[] seqs, int cycle);

    void onAcknowledged(long user, int device, long seq);

    void onReceiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, int cycle);

    void onReceiptsDelivered(long user, int device);
}
