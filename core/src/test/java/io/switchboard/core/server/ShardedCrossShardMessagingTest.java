package io.switchboard.core.server;

import io.switchboard.core.config.Routing;
import java.util.Map;

/**
 * The contract with Alice and Bob on different shards: a send is handled by Bob's shard, and every receipt for Alice
 * crosses to her shard through its peer ring. Three shards, because the test users share one of two.
 */
class ShardedCrossShardMessagingTest extends MessagingContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }

    @Override
    Map<String, Object> settings() {
        return aliceAndBobApart();
    }
}
