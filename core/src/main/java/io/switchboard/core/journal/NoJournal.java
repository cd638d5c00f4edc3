package io.switchboard.core.journal;

import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.message.StoredBodies;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.Collection;
import org.agrona.ExpandableArrayBuffer;

/** {@code journal.type: memory}: nothing is written, nothing survives a restart (the measuring baseline). */
public final class NoJournal implements Journal {
    public static final NoJournal INSTANCE = new NoJournal();

    private NoJournal() {}

    @Override
    public long acceptedAt(SendView send, long ts, long[] seqs) {
        return 0;
    }

    @Override
    public int cycleOf(long index) {
        return 0;
    }

    @Override
    public boolean keepsBodies() {
        return false;
    }

    @Override
    public int readBody(
            long index, long senderUser, int senderDevice, long id, int envelope, ExpandableArrayBuffer into) {
        return -1;
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
    public void hold(int cycle) {}

    @Override
    public int unread(long user, long senderUser, int senderDevice, long id, long ts, boolean group) {
        return 0;
    }

    @Override
    public void read(long user, long senderUser, int senderDevice, long id, int cycle) {}

    @Override
    public void deleteExpired() {}

    @Override
    public int cycle() {
        return 0;
    }

    @Override
    public int groupState(String group, long[] members, long[] admins, Collection<GroupInvite> invites) {
        return 0;
    }

    @Override
    public long groupMessageAt(GroupMessage message, int holds) {
        return 0;
    }

    /** Never read: this journal does not {@link #keepsBodies}, so every body stays on the heap. */
    @Override
    public StoredBodies storedBodies() {
        return (index, into) -> -1;
    }

    @Override
    public void groupReleased(GroupMessage message, int by) {}

    @Override
    public int groupQueued(
            GroupMessage message, int count, long[] users, int[] devices, long[] seqs, boolean withBodies) {
        return 0;
    }

    @Override
    public void lastSeen(long user, long ts) {}

    @Override
    public void replay(JournalReplay into, ReplayPass pass) {}

    @Override
    public void close() {}
}
