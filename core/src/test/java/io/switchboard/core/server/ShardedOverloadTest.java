package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.Routing;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A flood of sends past what the shard can take, over real sockets: the shard stalls (held on its own thread by a walk
 * of what it holds, {@link io.switchboard.core.testing.TestServer#holdBusyOwnersWithState}) while a client pipelines
 * sends. The server stops reading that client once the inbox is full, and
 * the sends that waited in the inbox past {@code router.maxSendWaitMs} are answered {@code unavailable} with {@code
 * retryAfterMs} instead of being acknowledged into a backlog; every send gets exactly one answer, and the recipient
 * gets every acknowledged message once and nothing refused.
 */
@Timeout(60)
class ShardedOverloadTest extends OverloadContract {
    private static final int FLOOD = 2000;

    @Override
    Routing routing() {
        return Routing.SHARDED;
    }

    @Override
    Map<String, Object> settings() {
        return Map.of(
                "router.shards",
                1,
                "router.inboxBytes",
                "64k",
                "transport.maxFrameBytes",
                "7k",
                "router.maxSendWaitMs",
                50);
    }

    @Test
    void shouldRefuseWhatTheShardCannotTakeInTimeAndLoseNothingItAcknowledged() throws Exception {
        TestClient alice = server.session(ALICE, 1, server.register(ALICE, 1));
        TestClient bob = server.session(BOB, 1, server.register(BOB, 1));
        server.register(CAROL, 1);
        alice.send(send(1, CAROL)); // held for Carol, who is offline: something for the walk to stall on
        assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(1);

        try (AutoCloseable stalled = server.holdBusyOwnersWithState()) {
            for (long id = 2; id <= FLOOD + 1; id++) {
                alice.send(send(id, BOB));
            }
            Thread.sleep(STALL_MS);
        }

        Answers answers = answers(alice, FLOOD);
        assertThat(answers.refused()).as("sends that waited past the limit").isNotEmpty();
        assertThat(server.total(ShardCounter.MESSAGES_REFUSED_OVERLOAD))
                .isEqualTo(answers.refused().size());
        assertThat(server.total(LoopCounter.INBOX_REFUSALS))
                .as("reading paused while the inbox was full")
                .isPositive();
        expectDeliveredOnce(bob, answers.acked());
    }
}
