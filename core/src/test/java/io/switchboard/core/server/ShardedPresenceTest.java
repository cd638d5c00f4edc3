package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class ShardedPresenceTest extends PresenceContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }
}
