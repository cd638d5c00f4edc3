package io.switchboard.core.owner;

import io.switchboard.core.config.Fanout;
import io.switchboard.core.config.HeapBodies;
import io.switchboard.core.config.JournalContext.Durability;
import io.switchboard.core.config.RateLimit;
import io.switchboard.core.config.RouterContext;

/**
 * The owner rules the owner's tests build on: every message journaled, bodies copied to the heap only while they wait,
 * single-copy groups with the default bounds and no limit on group events.
 */
final class TestRules {
    private TestRules() {}

    static OwnerRules of(
            int deliveryWindow, int maxPendingReceipts, int maxUnreadPerUser, int maxUnreadPerOwner, long retentionMs) {
        return new OwnerRules(
                deliveryWindow,
                maxPendingReceipts,
                maxUnreadPerUser,
                maxUnreadPerOwner,
                Durability.ALL,
                HeapBodies.WAITING,
                retentionMs,
                Fanout.SINGLE_COPY,
                RouterContext.MAX_GROUP_MEMBERS_DEFAULT,
                RouterContext.MAX_GROUPS_PER_USER_DEFAULT,
                RateLimit.OFF,
                RouterContext.GROUP_INVITE_EXPIRY_MS_DEFAULT);
    }
}
