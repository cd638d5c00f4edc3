package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class LockedPresenceTest extends PresenceContract {
    @Override
    Routing routing() {
        return Routing.LOCKED;
    }
}
