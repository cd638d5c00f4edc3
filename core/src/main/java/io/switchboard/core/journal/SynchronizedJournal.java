package io.switchboard.core.journal;

import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.message.StoredBodies;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.Collection;
import org.agrona.ExpandableArrayBuffer;

/** One journal shared by locked routing's stripes: appends from any I/O thread, one at a time. */
public final class SynchronizedJournal implements Journal {
    private final Journal journal;

    public SynchronizedJournal(Journal journal) {
        this.journal = journal;
    }

    @Override
    public synchronized long acceptedAt(SendView send, long ts, long[] seqs) {
        return journal.acceptedAt(send, ts, seqs);
    }

    @Override
    public int cycleOf(long index) {
        return journal.cycleOf(index);
    }

    @Override
    public boolean keepsBodies() {
        return journal.keepsBodies();
    }

    @Override
    public synchronized int readBody(
            long index, long senderUser, int senderDevice, long id, int envelope, ExpandableArrayBuffer into) {
        return journal.readBody(index, senderUser, senderDevice, id, envelope, into);
    }

    @Override
    public synchronized void acknowledged(long user, int device, long seq, int cycle) {
        journal.acknowledged(user, device, seq, cycle);
    }

    @Override
    public synchronized int receiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts) {
        return journal.receiptPending(senderUser, senderDevice, id, recipientUser, kind, ts);
    }

    @Override
    public synchronized void receiptsDelivered(long user, int device, int[] cycles, int count) {
        journal.receiptsDelivered(user, device, cycles, count);
    }

    @Override
    public synchronized void released(int cycle) {
        journal.released(cycle);
    }

    @Override
    public synchronized void hold(int cycle) {
        journal.hold(cycle);
    }

    @Override
    public synchronized int unread(long user, long senderUser, int senderDevice, long id, long ts, boolean group) {
        return journal.unread(user, senderUser, senderDevice, id, ts, group);
    }

    @Override
    public synchronized void read(long user, long senderUser, int senderDevice, long id, int cycle) {
        journal.read(user, senderUser, senderDevice, id, cycle);
    }

    @Override
    public synchronized void deleteExpired() {
        journal.deleteExpired();
    }

    @Override
    public synchronized int cycle() {
        return journal.cycle();
    }

    @Override
    public synchronized int groupState(String group, long[] members, long[] admins, Collection<GroupInvite> invites) {
        return journal.groupState(group, members, admins, invites);
    }

    @Override
    public synchronized long groupMessageAt(GroupMessage message, int holds) {
        return journal.groupMessageAt(message, holds);
    }

    /** Thread-safe of its own, apart from this lock, so that reading a body back does not wait for appends. */
    @Override
    public StoredBodies storedBodies() {
        return journal.storedBodies();
    }

    @Override
    public synchronized void groupReleased(GroupMessage message, int by) {
        journal.groupReleased(message, by);
    }

    @Override
    public synchronized int groupQueued(
            GroupMessage message, int count, long[] users, int[] devices, long[] seqs, boolean withBodies) {
        return journal.groupQueued(message, count, users, devices, seqs, withBodies);
    }

    @Override
    public synchronized void lastSeen(long user, long ts) {
        journal.lastSeen(user, ts);
    }

    @Override
    public synchronized void replay(JournalReplay into, ReplayPass pass) {
        journal.replay(into, pass);
    }

    @Override
    public synchronized void close() {
        journal.close();
    }
}
