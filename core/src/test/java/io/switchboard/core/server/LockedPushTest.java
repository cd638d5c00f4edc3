package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class LockedPushTest extends PushContract {
    @Override
    Routing routing() {
        return Routing.LOCKED;
    }
}
