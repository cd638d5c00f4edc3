package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class LockedRateLimitsTest extends RateLimitsContract {
    @Override
    Routing routing() {
        return Routing.LOCKED;
    }
}
