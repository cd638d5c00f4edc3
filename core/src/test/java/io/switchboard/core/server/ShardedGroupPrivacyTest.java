package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class ShardedGroupPrivacyTest extends GroupPrivacyContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }
}
