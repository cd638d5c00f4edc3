package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.config.Routing;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The whole contract with the smallest rings the configuration allows, so that inboxes, outboxes and peer rings fill
 * during the bursts: back-pressure from a full inbox and waiting on a full outbox or peer ring must lose and reorder
 * nothing. Alice and Bob are on different shards, so that every receipt for Alice crosses a peer ring. The run proves
 * that the rings did fill: a run in which none did would have tested nothing of this; the inbox is made to fill by
 * holding a shard busy, since a flood alone fills it only when the timing allows.
 */
class ShardedSmallRingsMessagingTest extends MessagingContract {
    private static long inboxRefusals;
    private static long outboxFullWaits;
    private static long peerFullWaits;

    @Override
    Routing routing() {
        return Routing.SHARDED;
    }

    @Override
    Map<String, Object> settings() {
        return aliceAndBobApart(
                "router.inboxBytes",
                "64k",
                "router.outboxBytes",
                "64k",
                "router.peerInboxBytes",
                "4k",
                "transport.maxFrameBytes",
                7 * 1024,
                // The flood is to fill the rings: one connection's send limit would otherwise stand in front of them.
                "limits.sends.perSecond",
                0,
                // Nor the shard's admission (AdmissionTest, ShardedOverloadTest): with it, a 64k outbox past its
                // default high mark (4k) or a held shard refuses sends before the rings ever fill.
                "router.outboxHighBytes",
                57_344,
                "router.maxSendWaitMs",
                60_000);
    }

    /** The outbox fills here by design, and a send that comes while it is past its high mark is refused. */
    @Override
    boolean refusesBehindASlowReader() {
        return true;
    }

    /** Ten thousand filled the inbox only now and then (once, in a typical run): a flood four times as long does. */
    @Override
    int floodMessages() {
        return 40_000;
    }

    /**
     * While Bob's shard is busy, Alice's sends fill its inbox: her connection must hold the frame the inbox refused,
     * stop reading, and go on once the shard takes commands again, losing and reordering nothing. (The floods of the
     * contract fill the inbox only when the timing happens to allow it; here it is certain.)
     */
    @Test
    void shouldHoldSendsThatAFullInboxRefusedAndDeliverThemInOrderOnceTheShardIsFree() throws Exception {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        int flood = 2_000;
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(send(1, BOB, "1"));
            alice.expect(FrameType.ACK);
            try (AutoCloseable busy = server.holdBusyOwnersWithState()) {
                for (int id = 2; id <= flood; id++) {
                    alice.send(send(id, BOB, Integer.toString(id)));
                }
                await().atMost(TestClient.TIMEOUT).until(() -> server.total(LoopCounter.INBOX_REFUSALS) > 0);
            }
            for (int id = 2; id <= flood; id++) {
                assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(id);
            }
        }
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            for (int id = 1; id <= flood; id++) {
                Frame msg = bob.expect(FrameType.MSG);
                assertThat(msg.id()).isEqualTo(id);
                assertThat(body(msg)).isEqualTo(Integer.toString(id));
                bob.send(recv(msg.seq()));
            }
        }
    }

    @AfterEach
    void countFullRings(TestInfo test) {
        long inbox = server.total(LoopCounter.INBOX_REFUSALS);
        long outbox = server.total(ShardCounter.OUTBOX_FULL_WAITS);
        long peer = server.total(ShardCounter.PEER_FULL_WAITS);
        System.out.printf(
                "%s: inbox.refusals %d, outbox.full.waits %d, peer.full.waits %d%n",
                test.getDisplayName(), inbox, outbox, peer);
        inboxRefusals += inbox;
        outboxFullWaits += outbox;
        peerFullWaits += peer;
    }

    @AfterAll
    static void shouldHaveFilledEveryKindOfRing() {
        assertThat(inboxRefusals).as("inbox.refusals over the run").isPositive();
        assertThat(outboxFullWaits).as("outbox.full.waits over the run").isPositive();
        assertThat(peerFullWaits).as("peer.full.waits over the run").isPositive();
    }
}
