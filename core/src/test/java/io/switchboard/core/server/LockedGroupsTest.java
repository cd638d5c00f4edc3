package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class LockedGroupsTest extends GroupsContract {
    @Override
    Routing routing() {
        return Routing.LOCKED;
    }
}
