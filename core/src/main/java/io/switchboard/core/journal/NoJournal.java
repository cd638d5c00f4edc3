package io.switchboard.core.journal;

import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.session.SendView;

/** {@code journal.type: memory}: nothing is written, nothing survives a restart (the measuring baseline). */
public final class NoJournal implements Journal {
    public static final NoJournal INSTANCE = new NoJournal();

    private NoJournal() {}

    @Override
    public boolean accepted(SendView send, long ts, long[] seqs) {
        return true;
    }

    @Override
    public void acknowledged(long user, int device, long seq) {}

    @Override
    public void receiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts) {}

    @Override
    public void receiptsDelivered(long user, int device) {}

    @Override
    public void replay(JournalReplay into) {}

    @Override
    public void close() {}
}
