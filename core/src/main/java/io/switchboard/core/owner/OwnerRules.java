package io.switchboard.core.owner;

import io.switchboard.core.config.Fanout;
import io.switchboard.core.config.JournalContext;
import io.switchboard.core.config.JournalContext.Durability;
import io.switchboard.core.config.RateLimit;
import io.switchboard.core.config.RouterContext;

/**
 * The settings an owner's rules read: how far delivery runs ahead of acknowledgements, how many receipts wait per
 * device, what is journaled and for how long, how group messages are stored and how large groups grow.
 *
 * @param maxPendingReceipts receipts held per device (the router's {@code maxQueuedPerDevice})
 * @param groupEvents each group's budget of member notifications from its adds and removes
 */
public record OwnerRules(
        int deliveryWindow,
        int maxPendingReceipts,
        Durability durability,
        long retentionMs,
        Fanout fanout,
        int maxGroupMembers,
        int maxGroupsPerUser,
        RateLimit groupEvents) {

    public static OwnerRules from(RouterContext router, JournalContext journaling) {
        return new OwnerRules(
                router.deliveryWindow(),
                router.maxQueuedPerDevice(),
                journaling.durability(),
                journaling.retentionMs(),
                router.fanout(),
                router.maxGroupMembers(),
                router.maxGroupsPerUser(),
                router.groupEvents());
    }
}
