package io.switchboard.core.server;

import io.switchboard.core.config.Routing;
import java.util.Map;

/**
 * The contract with Alice and Bob on different shards: a removal reaches Alice's shard as a command, and the delivered
 * receipt it releases crosses to Bob's shard through its peer ring. Three shards, because the test users share one of
 * two.
 */
class ShardedDevicesTest extends DevicesContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }

    @Override
    Map<String, Object> settings() {
        return aliceAndBobApart();
    }
}
