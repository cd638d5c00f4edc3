package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class LockedReadReceiptsTest extends ReadReceiptsContract {
    @Override
    Routing routing() {
        return Routing.LOCKED;
    }
}
