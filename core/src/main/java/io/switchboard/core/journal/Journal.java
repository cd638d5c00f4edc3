package io.switchboard.core.journal;

import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.message.StoredBodies;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.Collection;
import org.agrona.ExpandableArrayBuffer;

/**
 * The durable record of what an owner of user state must not forget: accepted messages (before their ack),
 * recipients' acknowledgements, receipts waiting for an offline sender, and which delivered messages were read. Replayed at start to rebuild the queues,
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
    default int accepted(SendView send, long ts, long[] seqs) {
        long index = acceptedAt(send, ts, seqs);
        return index == FAILED ? FAILED : cycleOf(index);
    }

    /**
     * As {@link #accepted}, returning where the record is (what {@link #readBody} takes; its cycle is {@link
     * #cycleOf}), or {@link #FAILED}.
     */
    long acceptedAt(SendView send, long ts, long[] seqs);

    /** The roll cycle of the record at {@code index}. */
    int cycleOf(long index);

    /**
     * From now on accepted messages may be written several to a document of the queue, which stays open after {@link
     * #acceptedAt} returns until {@link #completeAccepted()}, {@link #flush()} or a record of another kind: until then
     * they are neither readable nor safe from a {@code kill -9}. For a writer that completes them before anything it
     * did with them reaches another thread (a sender's ack above all, which promises the message is kept).
     */
    default void acceptInBatches() {}

    /** Completes the accepted records written since the last time ({@link #acceptInBatches()}), if any. */
    default void completeAccepted() {}

    /**
     * Whether {@link #readBody} reads bodies back, so that a queue may keep a journaled message's bodies here rather than
     * on the heap. False for a journal that keeps nothing.
     */
    boolean keepsBodies();

    /**
     * Reads back the body of envelope {@code envelope} of the accepted message {@code id} of {@code senderUser}'s
     * {@code senderDevice} at {@code index} into {@code into}, from its start; returns its length, or -1 when it cannot
     * be read (logged). For a delivery of a message whose body was kept here rather than on the heap: the message's
     * cycle is held until every device acknowledged it.
     */
    int readBody(long index, long senderUser, int senderDevice, long id, int envelope, ExpandableArrayBuffer into);

    /**
     * The device acknowledged {@code seq}, a message journaled in {@code cycle}. Written at once, or after {@link
     * #acknowledgeInBatches()} held back until the next document of another kind, {@link #flush()} or a full batch.
     */
    void acknowledged(long user, int device, long seq, int cycle);

    /**
     * From now on acknowledgements may be held back and written several to a record, which keeps their order with
     * every other record but batched ACCEPTED ones ({@link #acceptInBatches()}), which they may follow: an
     * acknowledgement of a message only ever follows the message's own record, wherever it goes. For a writer that
     * calls {@link #flush()} at the end of each batch of work: one that held back an acknowledgement when its process
     * died has it delivered again after a restart (at-least-once).
     */
    default void acknowledgeInBatches() {}

    /** Completes the accepted records of a batch open, then writes the acknowledgements held back, if any. */
    default void flush() {}

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

    /**
     * One more hold on {@code cycle}, which holds a record that state kept in memory can be rebuilt from (a message
     * delivered and not yet read: see {@link #read}).
     */
    void hold(int cycle);

    /**
     * A message delivered to {@code user} and not yet read, written again in the cycle being written so that its own
     * older cycle can go; returns that cycle, held once, or {@link #FAILED}.
     */
    int unread(long user, long senderUser, int senderDevice, long id, long ts, boolean group);

    /**
     * The user read a message delivered to it, whose unread state {@code cycle} holds: a replay does not count a read
     * of it again. The hold on {@code cycle} ends.
     */
    void read(long user, long senderUser, int senderDevice, long id, int cycle);

    /**
     * Deletes, oldest first, the files of cycles that hold nothing, and those older than the retention whatever holds
     * them: everything in them has expired, so a hold that was never released cannot keep a file forever.
     */
    void deleteExpired();

    /** The roll cycle being written now. */
    int cycle();

    /**
     * A group's members, admins and pending invites after a change (no members: the group is gone); returns the cycle
     * that keeps it, which the group holds until its next change, or {@link #FAILED} (the change is refused).
     */
    int groupState(String group, long[] members, long[] admins, Collection<GroupInvite> invites);

    /**
     * An accepted group message, its one stored copy, written before its ack; held {@code holds} times (once per owner
     * of members it goes to). Returns where the record is (its cycle is {@link #cycleOf}; {@link #storedBodies} reads
     * its body back), or {@link #FAILED} (the send is refused).
     */
    long groupMessageAt(GroupMessage message, int holds);

    /**
     * Reads back the bodies of the group messages stored here, for the owners of their members, from any thread; read
     * only for a journal that {@link #keepsBodies}.
     */
    StoredBodies storedBodies();

    /** The owner {@code by} no longer needs a group message: one hold on its cycle ends. */
    void groupReleased(GroupMessage message, int by);

    /**
     * The queue entries an owner of members made of a group message, {@code count} of them: the user, device and seq
     * of each, and (when {@code withBodies}, for {@code per-member} fan-out) a copy of the body each. Held once per
     * entry, as an accepted message is; returns the cycle, or {@link #FAILED}.
     */
    int groupQueued(GroupMessage message, int count, long[] users, int[] devices, long[] seqs, boolean withBodies);

    /** When a user's last device went offline. Not held: it survives restarts while its journal file does. */
    void lastSeen(long user, long ts);

    /**
     * Replays one pass of the journal, oldest first: {@link ReplayPass#GROUPS} (group states and stored group
     * messages), then, once every owner replayed that, {@link ReplayPass#SESSIONS} (everything else, which may refer to
     * group messages of other owners). Called once per pass, before the owner takes commands.
     */
    void replay(JournalReplay into, ReplayPass pass);

    /** Both passes, for an owner whose journal refers to no other owner's. */
    default void replay(JournalReplay into) {
        replay(into, ReplayPass.GROUPS);
        replay(into, ReplayPass.SESSIONS);
    }

    /** The two passes of a replay. */
    enum ReplayPass {
        GROUPS,
        SESSIONS
    }

    @Override
    void close();
}
