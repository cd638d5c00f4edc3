package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class LockedAuthorizationMatrixTest extends AuthorizationMatrixContract {
    @Override
    Routing routing() {
        return Routing.LOCKED;
    }
}
