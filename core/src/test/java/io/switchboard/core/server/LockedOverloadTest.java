package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.Routing;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A flood of sends past what locked routing's I/O loop can write, over real sockets. Locked routing applies a send on
 * the loop that read it and queues its ack and message there as tasks, so a loop that reads a burst of sends before it
 * runs its tasks falls behind on its writes: here the one loop is stalled (on the stripe lock that {@link
 * io.switchboard.core.testing.TestServer#holdBusyOwnersWithState} holds) while a client pipelines sends, and reads them
 * all at once when released. Past {@code transport.loopHighTasks} queued tasks the sends are answered {@code
 * unavailable} with {@code retryAfterMs} instead of being acknowledged into the loop's backlog; every send gets one
 * answer, every refusal is counted, the recipients get every acknowledged message once, and once the loop has caught up
 * it takes sends again.
 */
@Timeout(60)
class LockedOverloadTest extends OverloadContract {
    /** Few enough sends that they fit in loopback's socket buffers while the loop does not read. */
    private static final int FLOOD = 500;

    @Override
    Routing routing() {
        return Routing.LOCKED;
    }

    @Override
    Map<String, Object> settings() {
        return Map.of("transport.ioThreads", 1, "transport.loopHighTasks", 32);
    }

    @Test
    void shouldRefuseSendsWhileTheLoopIsBehindOnItsWritesAndLoseNothingItAcknowledged() throws Exception {
        TestClient alice = server.session(ALICE, 1, server.register(ALICE, 1));
        TestClient bob = server.session(BOB, 1, server.register(BOB, 1));
        String carolToken = server.register(CAROL, 1);
        alice.send(send(1, CAROL)); // held for Carol, who is offline: something for the walk to stall on
        assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(1);

        try (AutoCloseable stalled = server.holdBusyOwnersWithState()) {
            alice.send(send(2, CAROL)); // the loop waits for Carol's stripe here
            for (long id = 3; id < FLOOD + 3; id++) {
                alice.send(send(id, BOB));
            }
            Thread.sleep(STALL_MS);
        }

        Answers answers = answers(alice, FLOOD + 1);
        assertThat(answers.refused()).as("sends read while the loop was behind").isNotEmpty();
        assertThat(answers.acked()).as("sends read before it was behind").contains(2L);
        assertThat(server.total(LoopCounter.SENDS_REFUSED_BEHIND))
                .isEqualTo(answers.refused().size());
        Set<Long> toBob = new HashSet<>(answers.acked());
        toBob.remove(2L);
        expectDeliveredOnce(bob, toBob);
        try (TestClient carol = server.session(CAROL, 1, carolToken)) {
            expectDeliveredOnce(carol, Set.of(1L, 2L));
        }

        alice.send(send(FLOOD + 3, BOB));
        assertThat(answers(alice, 1).acked())
                .as("caught up, the loop takes sends again")
                .containsExactly(FLOOD + 3L);
    }
}
