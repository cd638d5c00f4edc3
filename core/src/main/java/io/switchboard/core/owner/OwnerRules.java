package io.switchboard.core.owner;

import io.switchboard.core.config.Fanout;
import io.switchboard.core.config.HeapBodies;
import io.switchboard.core.config.JournalContext;
import io.switchboard.core.config.JournalContext.Durability;
import io.switchboard.core.config.RateLimit;
import io.switchboard.core.config.RouterContext;

/**
 * The settings an owner's rules read: how far delivery runs ahead of acknowledgements, how many receipts wait per
 * device and unread messages per user, what is journaled and for how long, how group messages are stored and how large
 * groups grow.
 *
 * @param maxPendingReceipts receipts held per device (the router's {@code maxQueuedPerDevice})
 * @param groupEvents each group's budget of member notifications from its adds and removes
 * @param maxUnreadPerUser messages delivered to a user and not yet read that a {@code read} can count for
 * @param maxUnreadPerOwner the same across all the owner's users: its share of {@code router.maxUnreadBytes}
 * @param heapBodies which one-to-one bodies are copied to the heap rather than read back from the journal
 * @param retentionMs how long a queued message, a held receipt and an unread message are kept
 * @param groupInviteExpiryMs how long an invite to a group may be accepted
 */
public record OwnerRules(
        int deliveryWindow,
        int maxPendingReceipts,
        int maxUnreadPerUser,
        int maxUnreadPerOwner,
        Durability durability,
        HeapBodies heapBodies,
        long retentionMs,
        Fanout fanout,
        int maxGroupMembers,
        int maxGroupsPerUser,
        RateLimit groupEvents,
        long groupInviteExpiryMs) {

    /** The rules of each of {@code owners} owners, which share {@code router.maxUnreadBytes} evenly. */
    public static OwnerRules from(RouterContext router, JournalContext journaling, int owners) {
        return new OwnerRules(
                router.deliveryWindow(),
                router.maxQueuedPerDevice(),
                router.maxUnreadPerUser(),
                UnreadMessages.entriesPerOwner(router.maxUnreadBytes(), owners),
                journaling.durability(),
                router.heapBodies(),
                journaling.retentionMs(),
                router.fanout(),
                router.maxGroupMembers(),
                router.maxGroupsPerUser(),
                router.groupEvents(),
                router.groupInviteExpiryMs());
    }
}
