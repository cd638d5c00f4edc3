package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class ShardedGroupsTest extends GroupsContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }
}
