package io.switchboard.core.journal;

import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.List;

/** Receives a journal's records at start, in the order they were written. */
public interface JournalReplay {
    /** An accepted message, journaled in {@code cycle} at {@code index} (where {@link Journal#readBody} finds it). */
    void onAccepted(SendView send, long ts, long[] seqs, int cycle, long index);

    void onAcknowledged(long user, int device, long seq);

    void onReceiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, int cycle);

    void onReceiptsDelivered(long user, int device);

    /** A group's state after a change, with its pending invites, kept in {@code cycle}; no members: the group is gone. */
    default void onGroupState(String group, long[] members, long[] admins, List<GroupInvite> invites, int cycle) {}

    /** A stored group message (its {@link GroupMessage#cycle()} set). */
    default void onGroupMessage(GroupMessage message) {}

    /** The owner {@code by} released the group message the owner {@code groupOwner} stored. */
    default void onGroupReleased(int groupOwner, long senderKey, long id, int by) {}

    /**
     * One queue entry made of a group message that owner {@code groupOwner} stored; {@code body} is this entry's own
     * copy ({@code per-member}) or null ({@code single-copy}: the stored copy's).
     */
    default void onGroupQueued(
            int groupOwner, long senderKey, long id, long user, int device, long seq, byte[] body, int cycle) {}

    default void onLastSeen(long user, long ts) {}

    /**
     * A message delivered to {@code user} and not yet read, written again in {@code cycle} (held once for it). Not a
     * default: a replay that dropped it would forget what users may still read.
     */
    void onUnread(long user, long senderUser, int senderDevice, long id, long ts, boolean group, int cycle);

    /** The user read a message delivered to it. Not a default: a replay that dropped it would count the read again. */
    void onRead(long user, long senderUser, int senderDevice, long id);
}
