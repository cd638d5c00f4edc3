package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class LockedQueueBoundsTest extends QueueBoundsContract {
    @Override
    Routing routing() {
        return Routing.LOCKED;
    }
}
