package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class ShardedMessagingTest extends MessagingContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }
}
