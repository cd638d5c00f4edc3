package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class ShardedQueueBoundsTest extends QueueBoundsContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }
}
