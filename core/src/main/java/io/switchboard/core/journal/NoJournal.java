package io.switchboard.core.journal;

import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.session.SendView;

/** {@code journal.type: memory}: nothing is written, nothing survives a restart (the measuring baseline). */
public final class NoJournal implements Journal {
    public static final NoJournal INSTANCE = new NoJournal();

    private NoJournal() {}

    @Override
    public int accepted(SendView send, long ts, long[] seqs) {
        return 0;
    }

    @Override
    public void acknowledged(long user, int device, long seq, int cycle) {}

    @Override
    public int receiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts) {
        return 0;
    }

    @Override
    public void receiptsDelivered(long user, int device, int[] cycles, int count) {}

    @Override
    public void released(int cycle) {}

    @Override
    public void replay(JournalReplay into) {}

    @Override
    public void close() {}
}
