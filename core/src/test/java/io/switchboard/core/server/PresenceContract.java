package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** protocol.md's Presence and typing section, end to end over real sockets, with several devices per user. */
@Timeout(60)
abstract class PresenceContract extends ServerContract {

    static Frame expectPresence(TestClient client, boolean online) {
        Frame presence = client.expect(FrameType.PRESENCE);
        assertThat(presence.user()).isEqualTo(BOB);
        assertThat(presence.online()).isEqualTo(online);
        return presence;
    }

    /**
     * A client's close reaches the server on the server's time. The I/O loop counts the session offline and, in the same
     * step on its thread, hands the close to the owner of the user's state: a fence started after the count reaches that
     * owner after the close.
     */
    private void awaitClosedAtTheServer(long sessionsOnline) {
        server.awaitTotal(LoopCounter.SESSIONS_ONLINE, sessionsOnline);
    }

    @Test
    void shouldBeOnlineWhileAnyDeviceIsConnectedAndRecordLastSeenWhenTheLastOneLeaves() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String bob2Token = server.link(BOB, bobToken, 2);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(new Frame().reset(FrameType.SUB).user(BOB));
            assertThat(expectPresence(alice, false).hasLastSeen()).isFalse();

            TestClient bob = server.session(BOB, 1, bobToken);
            expectPresence(alice, true);
            TestClient bob2 = server.session(BOB, 2, bob2Token);
            long online = server.total(LoopCounter.SESSIONS_ONLINE);
            bob.close();
            awaitClosedAtTheServer(online - 1);
            expectNothing(alice);
            long beforeLastLeaves = System.currentTimeMillis();
            bob2.close();
            Frame offline = expectPresence(alice, false);
            assertThat(offline.lastSeen()).isBetween(beforeLastLeaves - 1000, System.currentTimeMillis());

            alice.send(new Frame().reset(FrameType.UNSUB).user(BOB));
            alice.send(new Frame().reset(FrameType.PING));
            alice.expect(FrameType.PONG);
            online = server.total(LoopCounter.SESSIONS_ONLINE);
            server.session(BOB, 1, bobToken).close();
            awaitClosedAtTheServer(online);
            expectNothing(alice);
        }
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(new Frame().reset(FrameType.SUB).user(BOB));
            assertThat(expectPresence(alice, false).lastSeen()).isPositive();
            alice.send(new Frame().reset(FrameType.SUB).user(12345));
            assertThat(alice.expect(FrameType.ERROR).code()).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT);
        }
    }

    @Test
    void shouldRelayTypingToEveryOnlineDeviceAndNeverStoreIt() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String bob2Token = server.link(BOB, bobToken, 2);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken);
                TestClient bob2 = server.session(BOB, 2, bob2Token)) {
            alice.send(new Frame().reset(FrameType.TYPING).toUser(BOB).on(true));
            for (TestClient device : new TestClient[] {bob, bob2}) {
                Frame typing = device.expect(FrameType.TYPING);
                assertThat(typing.fromUser()).isEqualTo(ALICE);
                assertThat(typing.on()).isTrue();
            }
            expectNothing(alice);
        }
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(new Frame().reset(FrameType.TYPING).toUser(BOB).on(false));
            alice.send(new Frame().reset(FrameType.PING));
            alice.expect(FrameType.PONG);
        }
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            expectNothing(bob);
        }
    }

    @Test
    void shouldKeepLastSeenAcrossARestart() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        long before = System.currentTimeMillis();
        server.session(BOB, 1, bobToken).close();
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(new Frame().reset(FrameType.SUB).user(BOB));
            // The close may still be on its way: wait for the presence that has it.
            Frame presence = alice.expect(FrameType.PRESENCE);
            if (!presence.hasLastSeen()) {
                presence = alice.expect(FrameType.PRESENCE);
            }
            assertThat(presence.lastSeen()).isGreaterThanOrEqualTo(before);
        }
        server.close();
        server = TestServer.start(routing(), data, settings());
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(new Frame().reset(FrameType.SUB).user(BOB));
            assertThat(expectPresence(alice, false).lastSeen()).isGreaterThanOrEqualTo(before);
        }
    }
}
