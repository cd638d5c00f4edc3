package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class LockedGroupPrivacyTest extends GroupPrivacyContract {
    @Override
    Routing routing() {
        return Routing.LOCKED;
    }
}
