package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.Routing;
import org.junit.jupiter.api.BeforeEach;

/** The contract with Alice and Bob on one shard: sends, receipts and their acks never leave it. */
class ShardedMessagingTest extends MessagingContract {
    @Override
    Routing routing() {
        return Routing.SHARDED;
    }

    @BeforeEach
    void placeAliceAndBobOnOneShard() {
        assertThat(shardOf(ALICE)).as("Alice's shard").isEqualTo(shardOf(BOB));
    }
}
