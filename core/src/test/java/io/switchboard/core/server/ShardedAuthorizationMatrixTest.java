package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class ShardedAuthorizationMatrixTest extends AuthorizationMatrixContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }
}
