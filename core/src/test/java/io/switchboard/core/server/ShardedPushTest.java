package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class ShardedPushTest extends PushContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }
}
