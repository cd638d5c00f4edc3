package io.switchboard.core.owner;

import io.switchboard.core.message.GroupMessage;

/**
 * Tells a group's owner that this owner has no use left for a group message's stored copy: every queue entry made of
 * it here was acknowledged or dropped, so the group's owner may let its journal go.
 *
 * <p>Owner thread only.
 */
final class GroupReleases {
    private final Peers peers;
    private final QueuedBytes queued;

    GroupReleases(Peers peers, QueuedBytes queued) {
        this.peers = peers;
        this.queued = queued;
    }

    /** A member user has a group message on every device, or lost it: the group's owner hears once all here have. */
    void memberDone(MessageRecord record) {
        GroupCopy copy = record.copy();
        if (copy != null && copy.userDone()) {
            queued.done(copy);
            released(copy.message());
        }
    }

    void released(GroupMessage message) {
        int self = peers.self();
        peers.post(message.owner(), target -> target.groupSends().released(message, self));
    }
}
