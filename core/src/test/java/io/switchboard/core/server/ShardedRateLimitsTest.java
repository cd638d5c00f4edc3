package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class ShardedRateLimitsTest extends RateLimitsContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }
}
