package io.switchboard.core.server;

import io.switchboard.core.config.Routing;
import java.util.Map;

/** The read contract with the reader and the sender on different shards: every read receipt crosses a peer ring. */
class ShardedReadReceiptsTest extends ReadReceiptsContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }

    @Override
    Map<String, Object> settings() {
        return aliceAndBobApart();
    }
}
