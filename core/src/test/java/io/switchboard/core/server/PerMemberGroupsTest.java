package io.switchboard.core.server;

import io.switchboard.core.config.Routing;
import java.util.Map;

/** The same contract with a copy of each group message per member device (the textbook fan-out). */
class PerMemberGroupsTest extends GroupsContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }

    @Override
    Map<String, Object> settings() {
        return Map.of("router.fanout", "per-member");
    }
}
