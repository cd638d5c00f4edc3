package io.switchboard.core.server;

import io.switchboard.core.config.Routing;

class LockedMessagingTest extends MessagingContract {
    @Override
    Routing routing() {
        return Routing.LOCKED;
    }
}
