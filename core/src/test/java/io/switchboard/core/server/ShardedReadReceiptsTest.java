package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.Routing;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/** The read contract with the reader and the sender on different shards: every read receipt crosses a peer ring. */
class ShardedReadReceiptsTest extends ReadReceiptsContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }

    @Override
    Map<String, Object> settings() {
        return Map.of("router.shards", 3);
    }

    @BeforeEach
    void placeAliceAndBobOnDifferentShards() {
        assertThat(shardOf(ALICE)).as("Alice's shard").isNotEqualTo(shardOf(BOB));
    }
}
