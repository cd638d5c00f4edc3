package io.switchboard.core.journal;

import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.session.SendView;

/** One journal shared by locked routing's stripes: appends from any I/O thread, one at a time. */
public final class SynchronizedJournal implements Journal {
    private final Journal journal;

    public SynchronizedJournal(Journal journal) {
        this.journal = journal;
    }

    @Override
    public synchronized boolean accepted(SendView send, long ts, long[] seqs) {
        return journal.accepted(send, ts, seqs);
    }

    @Override
    public synchronized void acknowledged(long user, int device, long seq) {
        journal.acknowledged(user, device, seq);
    }

    @Override
    public synchronized void receiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts) {
        journal.receiptPending(senderUser, senderDevice, id, recipientUser, kind, ts);
    }

    @Override
    public synchronized void receiptsDelivered(long user, int device) {
        journal.receiptsDelivered(user, device);
    }

    @Override
    public synchronized void replay(JournalReplay into) {
        journal.replay(into);
    }

    @Override
    public synchronized void close() {
        journal.close();
    }
}
