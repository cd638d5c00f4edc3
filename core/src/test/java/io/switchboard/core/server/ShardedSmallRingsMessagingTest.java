package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.Routing;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.metrics.ShardCounter;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;

/**
 * The whole contract with the smallest rings the configuration allows, so that inboxes, outboxes and peer rings fill
 * during the bursts: back-pressure from a full inbox and waiting on a full outbox or peer ring must lose and reorder
 * nothing. Alice and Bob are on different shards, so that every receipt for Alice crosses a peer ring. The run proves
 * that the rings did fill: a run in which none did would have tested nothing of this.
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
                0);
    }

    /** Ten thousand filled the inbox only now and then (once, in a typical run): a flood four times as long does. */
    @Override
    int floodMessages() {
        return 40_000;
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
