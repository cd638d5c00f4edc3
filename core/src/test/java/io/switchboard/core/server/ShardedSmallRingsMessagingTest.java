package io.switchboard.core.server;

import io.switchboard.core.config.Routing;
import java.util.Map;

/**
 * The whole contract with the smallest rings the configuration allows, so that inboxes and outboxes fill during the
 * bursts: back-pressure from a full inbox and waiting on a full outbox must lose and reorder nothing.
 */
class ShardedSmallRingsMessagingTest extends MessagingContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }

    @Override
    Map<String, Object> settings() {
        return Map.of(
                "router.inboxBytes", "64k",
                "router.outboxBytes", "64k",
                "transport.maxFrameBytes", 7 * 1024);
    }
}
