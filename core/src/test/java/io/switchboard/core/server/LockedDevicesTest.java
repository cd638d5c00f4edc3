package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class LockedDevicesTest extends DevicesContract {
    @Override
    Routing routing() {
        return Routing.LOCKED;
    }
}
