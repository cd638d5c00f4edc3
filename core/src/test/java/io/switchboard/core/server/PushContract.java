package io.switchboard.core.server;

import static io.switchboard.core.testing.TestServer.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * protocol.md's Push, end to end over real sockets with the in-process {@code sim} platform: registration over HTTP,
 * one push per offline device until it connects again, none after the registration ended or its device was removed,
 * and registrations that survive a restart. Each routing variant runs it through a subclass.
 */
@Timeout(60)
abstract class PushContract extends ServerContract {
    /** "user/device" of every push the sim platform took, in order. */
    private final BlockingQueue<String> pushes = new LinkedBlockingQueue<>();

    private String aliceToken;

    @BeforeEach
    void listen() {
        listenForPushes();
    }

    private void listenForPushes() {
        server.embedded().push().sim().listener((user, device, token) -> pushes.add(user + "/" + device));
    }

    @Override
    void restart() {
        super.restart();
        listenForPushes();
    }

    private String nextPush() throws InterruptedException {
        String push = pushes.poll(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(push).as("a push").isNotNull();
        return push;
    }

    private void expectNoMorePushes() throws InterruptedException {
        assertThat(pushes.poll(200, TimeUnit.MILLISECONDS)).as("another push").isNull();
    }

    private long collapsed() {
        return server.total(ShardCounter.PUSH_COLLAPSED);
    }

    /**
     * Waits for Bob's presence to read {@code online} at Alice, past receipts and earlier presence: the owner of Bob's
     * state has then taken his last open or close, so a send after it finds him as he now is.
     */
    private static void awaitBobOnline(TestClient alice, boolean online) {
        for (Frame frame = alice.next(); ; frame = alice.next()) {
            if (frame.type() == FrameType.PRESENCE && frame.online() == online) {
                return;
            }
            assertThat(frame.type()).as("frame %s", frame).isIn(FrameType.PRESENCE, FrameType.RECEIPT);
        }
    }

    private void registerSim(String token, String pushToken) {
        HttpResponse<String> response =
                server.put("/v1/push", "{\"platform\":\"sim\",\"token\":\"" + pushToken + "\"}", bearer(token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    /** Registers Alice (her token in {@link #aliceToken}) and Bob, whose phone registers for sim pushes; Bob's token. */
    private String registerAliceAndPushedBob() {
        aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        registerSim(bobToken, "bob-phone");
        return bobToken;
    }

    /** A send to Bob with one envelope for each of {@code devices}, in that order. */
    private static Frame send(long id, int... devices) {
        Frame send = new Frame().reset(FrameType.SEND).id(id).toUser(BOB);
        for (int device : devices) {
            send.addEnvelope(device, EnvelopeType.MSG, ("m" + id).getBytes(StandardCharsets.UTF_8));
        }
        return send;
    }

    private static void sendAcked(TestClient alice, long id, int... devices) {
        alice.send(send(id, devices));
        assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(id);
    }

    @Test
    void shouldRegisterOnlyForAnAuthenticatedDeviceAndAKnownPlatform() {
        String bobToken = server.register(BOB, 1);
        String body = "{\"platform\":\"sim\",\"token\":\"t1\"}";
        assertThat(server.put("/v1/push", body).statusCode()).isEqualTo(401);
        assertThat(server.put("/v1/push", body, bearer("not-a-token")).statusCode())
                .isEqualTo(401);
        assertThat(server.delete("/v1/push").statusCode()).isEqualTo(401);
        HttpResponse<String> badPlatform =
                server.put("/v1/push", "{\"platform\":\"pager\",\"token\":\"t1\"}", bearer(bobToken));
        assertThat(badPlatform.statusCode()).isEqualTo(400);
        assertThat(badPlatform.body()).contains("\"error\":\"bad-request\"");
        assertThat(server.put("/v1/push", "{\"platform\":\"sim\",\"token\":\"a b\"}", bearer(bobToken))
                        .statusCode())
                .isEqualTo(400);
        assertThat(server.put("/v1/push", "{\"platform\":\"sim\"}", bearer(bobToken))
                        .statusCode())
                .isEqualTo(400);
        assertThat(server.put("/v1/push", body, bearer(bobToken)).statusCode()).isEqualTo(204);
        assertThat(server.delete("/v1/push", bearer(bobToken)).statusCode()).isEqualTo(204);
        assertThat(server.embedded().accounts().pushes().registered(BOB, 1)).isFalse();
    }

    @Test
    void shouldPushAnOfflineDeviceOnceUntilItHasConnectedAgain() throws InterruptedException {
        String bobToken = registerAliceAndPushedBob();
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(new Frame().reset(FrameType.SUB).user(BOB));
            awaitBobOnline(alice, false);
            for (long id = 1; id <= 3; id++) {
                sendAcked(alice, id, 1);
            }
            assertThat(nextPush()).isEqualTo(BOB + "/1");
            await().atMost(TestClient.TIMEOUT).until(() -> collapsed() == 2);
            expectNoMorePushes();

            try (TestClient bob = server.session(BOB, 1, bobToken)) {
                awaitBobOnline(alice, true);
                for (long seq = 1; seq <= 3; seq++) {
                    bob.send(recv(bob.expect(FrameType.MSG).seq()));
                }
            }
            awaitBobOnline(alice, false);
            sendAcked(alice, 4, 1);
            sendAcked(alice, 5, 1);
            assertThat(nextPush()).isEqualTo(BOB + "/1");
            await().atMost(TestClient.TIMEOUT).until(() -> collapsed() == 3);
            expectNoMorePushes();
        }
    }

    /**
     * Bob's laptop (device 2) stops being pushed, once by its own {@code DELETE} and once by its removal from the
     * account. Its envelope comes first in each send, so its push, had it been handed on, would come before the
     * phone's: the phone's push arriving alone shows that the laptop got none.
     */
    @Test
    void shouldStopPushingADeviceThatUnregisteredOrWasRemoved() throws InterruptedException {
        aliceToken = server.register(ALICE, 1);
        String phone = server.register(BOB, 1);
        String laptop = server.link(BOB, phone, 2);
        registerSim(phone, "phone");
        registerSim(laptop, "laptop");
        assertThat(server.delete("/v1/push", bearer(laptop)).statusCode()).isEqualTo(204);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            sendAcked(alice, 1, 2, 1);
            assertThat(nextPush()).isEqualTo(BOB + "/1");

            registerSim(laptop, "laptop-again");
            assertThat(server.delete("/v1/devices/2", bearer(phone)).statusCode())
                    .isEqualTo(204);
            server.link(BOB, phone, 2);
            try (TestClient bob = server.session(BOB, 1, phone)) {
                bob.send(recv(bob.expect(FrameType.MSG).seq()));
            }
            alice.send(new Frame().reset(FrameType.SUB).user(BOB));
            awaitBobOnline(alice, false);
            sendAcked(alice, 2, 2, 1);
            assertThat(nextPush()).isEqualTo(BOB + "/1");
            expectNoMorePushes();
            assertThat(server.embedded().accounts().pushes().registered(BOB, 2)).isFalse();
        }
    }

    /** A message that reached a session which then closed without acknowledging it waits: the device is pushed. */
    @Test
    void shouldPushADeviceWhoseSessionClosedWithAMessageUnacknowledged() throws InterruptedException {
        String bobToken = registerAliceAndPushedBob();
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            try (TestClient bob = server.session(BOB, 1, bobToken)) {
                sendAcked(alice, 1, 1);
                assertThat(bob.expect(FrameType.MSG).id()).isEqualTo(1);
            }
            assertThat(nextPush()).isEqualTo(BOB + "/1");
        }
    }

    /**
     * A message still queued for a pushed phone when the server stops: the restarted server pushes the phone without
     * waiting for a new message (the push goes out while it starts, before this test can listen: counted by the sim).
     */
    @Test
    void shouldPushAfterARestartADeviceThatAMessageWaitsFor() throws InterruptedException {
        registerAliceAndPushedBob();
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            sendAcked(alice, 1, 1);
            assertThat(nextPush()).isEqualTo(BOB + "/1");
        }
        restart();
        await().atMost(TestClient.TIMEOUT)
                .until(() -> server.embedded().push().sim().pushes() == 1);
        assertThat(server.total(ShardCounter.PUSH_REQUESTED)).isEqualTo(1);
    }

    @Test
    void shouldKeepRegistrationsAcrossARestart() throws InterruptedException {
        registerAliceAndPushedBob();
        restart();
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            sendAcked(alice, 1, 1);
            assertThat(nextPush()).isEqualTo(BOB + "/1");
        }
    }
}
