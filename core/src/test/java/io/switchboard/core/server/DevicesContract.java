package io.switchboard.core.server;

import static io.switchboard.core.testing.TestServer.bearer;
import static io.switchboard.core.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ProtocolLimits;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * protocol.md's Accounts and devices, end to end over real sockets: a device joins an account only with a link code
 * its primary obtained, at most eight per account, and the primary removes companions, whose token, session, queue
 * and place in senders' envelopes then go, also after a restart. Each routing variant runs it through a subclass.
 */
@Timeout(60)
abstract class DevicesContract extends ServerContract {
    private static final long MALLORY = 666;

    /** A send from the connected device to {@code to}, with one envelope for each of {@code devices}. */
    private static Frame send(long id, long to, int... devices) {
        Frame send = new Frame().reset(FrameType.SEND).id(id).toUser(to);
        for (int device : devices) {
            send.addEnvelope(device, EnvelopeType.MSG, ("m" + id).getBytes(StandardCharsets.UTF_8));
        }
        return send;
    }

    private static Frame hello(long user, int device, String token) {
        return new Frame().reset(FrameType.HELLO).user(user).device(device).token(token);
    }

    /** Says hello with {@code token} and requires the server to refuse it: {@code auth}, then close 1008. */
    private void expectRefusedHello(long user, int device, String token) {
        try (TestClient client = server.connect()) {
            client.send(hello(user, device, token));
            assertThat(client.expect(FrameType.ERROR).code()).isEqualTo(ErrorCode.AUTH);
            assertThat(client.awaitClose()).isEqualTo(1008);
        }
    }

    private JsonNode devicesOf(String token) {
        HttpResponse<String> listed = server.get("/v1/devices", bearer(token));
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        return json(listed.body()).path("devices");
    }

    private static List<Integer> numbers(JsonNode devices) {
        List<Integer> numbers = new ArrayList<>();
        devices.forEach(device -> numbers.add(device.path("device").asInt()));
        return numbers;
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(json(response.body()).path("error").asText())
                .as(response.body())
                .isEqualTo(code);
        assertThat(json(response.body()).path("message").asText()).isNotEmpty();
    }

    private void awaitTotal(ShardCounter counter, long value) {
        await().atMost(TestClient.TIMEOUT)
                .alias(counter.spec().metricName() + " reads " + value)
                .until(() -> server.total(counter) == value);
    }

    /**
     * The attack of issue 16: Mallory posts device 7 to Alice's account. It used to succeed, after which every sender
     * had to encrypt for Mallory's device and Alice's delivered receipts stopped, since device 7 never acknowledged.
     */
    @Test
    void shouldRefuseADeviceAddedToSomeoneElsesAccount() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String malloryToken = server.register(MALLORY, 1);

        assertError(server.post("/v1/accounts", "{\"user\":" + ALICE + ",\"device\":7}"), 409, "conflict");
        assertError(
                server.post("/v1/accounts", "{\"user\":" + ALICE + ",\"device\":7}", bearer(malloryToken)),
                409,
                "conflict");
        assertError(server.linkWith(ALICE, 7, "AAAAAAAAAAAAAAAAAAAAAAAA"), 403, "link-code");
        assertError(server.linkWith(ALICE, 7, server.linkCode(malloryToken)), 403, "link-code");
        expectRefusedHello(ALICE, 7, malloryToken);

        assertThat(numbers(devicesOf(aliceToken))).containsExactly(1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            bob.send(send(1, ALICE, 1));
            assertThat(bob.expect(FrameType.ACK).id()).isEqualTo(1);
            alice.send(recv(alice.expect(FrameType.MSG).seq()));
            Frame delivered = bob.expect(FrameType.RECEIPT);
            assertThat(delivered.kind()).isEqualTo(ReceiptKind.DELIVERED);
        }
    }

    @Test
    void shouldLinkACompanionWithACodeFromThePrimaryOnlyOnce() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        HttpResponse<String> link = server.post("/v1/devices/link", "", bearer(aliceToken));
        assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
        assertThat(json(link.body()).path("expiresInMs").asLong()).isEqualTo(300_000);
        String code = json(link.body()).path("code").asText();

        assertError(server.linkWith(BOB, 2, code), 403, "link-code");
        HttpResponse<String> linked = server.linkWith(ALICE, 2, code);
        assertThat(linked.statusCode()).as(linked.body()).isEqualTo(201);
        String companionToken = TestServer.token(linked.body());
        assertError(server.linkWith(ALICE, 3, code), 403, "link-code");

        try (TestClient companion = server.session(ALICE, 2, companionToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            bob.send(send(1, ALICE, 1));
            Frame devices = bob.expect(FrameType.ERROR);
            assertThat(devices.code()).isEqualTo(ErrorCode.DEVICES);
            assertThat(devices.missing().toIntArray()).containsExactly(2);
            bob.send(send(2, ALICE, 1, 2));
            bob.expect(FrameType.ACK);
            assertThat(companion.expect(FrameType.MSG).id()).isEqualTo(2);
            JsonNode listed = devicesOf(companionToken);
            assertThat(numbers(listed)).containsExactly(1, 2);
            assertThat(listed.get(0).path("primary").asBoolean()).isTrue();
            assertThat(listed.get(1).path("primary").asBoolean()).isFalse();
            assertThat(listed.get(1).path("created").asLong()).isPositive();
            assertThat(listed.get(1).path("online").asBoolean()).isTrue();
            assertThat(listed.get(0).path("online").asBoolean()).isFalse();
            assertThat(listed.get(0).has("lastSeen")).as("never connected").isFalse();
        }
        await().atMost(TestClient.TIMEOUT)
                .until(() -> !devicesOf(aliceToken).get(1).path("online").asBoolean());
        assertThat(devicesOf(aliceToken).get(1).path("lastSeen").asLong()).isPositive();
    }

    @Test
    void shouldRefuseALinkCodeThatExpired() throws InterruptedException {
        server.close();
        Map<String, Object> shortCodes = new HashMap<>(settings());
        shortCodes.put("accounts.linkCodeExpiryMs", 100);
        server = TestServer.start(routing(), data, shortCodes);
        String aliceToken = server.register(ALICE, 1);
        String code = server.linkCode(aliceToken);

        Thread.sleep(300);

        assertError(server.linkWith(ALICE, 2, code), 403, "link-code");
        assertThat(server.linkWith(ALICE, 2, server.linkCode(aliceToken)).statusCode())
                .isEqualTo(201);
    }

    @Test
    void shouldHoldAtMostEightDevicesPerAccount() {
        String aliceToken = server.register(ALICE, 1);
        for (int device = 2; device <= ProtocolLimits.MAX_DEVICES_PER_ACCOUNT; device++) {
            server.link(ALICE, aliceToken, device);
        }

        assertError(server.linkWith(ALICE, 9, server.linkCode(aliceToken)), 403, "too-many-devices");
        assertThat(numbers(devicesOf(aliceToken))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(server.delete("/v1/devices/8", bearer(aliceToken)).statusCode())
                .isEqualTo(204);
        server.link(ALICE, aliceToken, 9);
    }

    @Test
    void shouldLetOnlyThePrimaryLinkAndRemoveDevices() {
        String aliceToken = server.register(ALICE, 1);
        String companionToken = server.link(ALICE, aliceToken, 2);
        server.link(ALICE, aliceToken, 3);
        String bobToken = server.register(BOB, 1);

        assertError(server.post("/v1/devices/link", "", bearer(companionToken)), 403, "forbidden");
        assertError(server.delete("/v1/devices/3", bearer(companionToken)), 403, "forbidden");
        assertError(server.delete("/v1/devices/1", bearer(aliceToken)), 403, "forbidden");
        assertError(server.delete("/v1/devices/4", bearer(aliceToken)), 404, "not-found");
        assertError(server.delete("/v1/devices/2", bearer(bobToken)), 404, "not-found");
        assertError(server.delete("/v1/devices/2"), 401, "auth");
        assertError(server.post("/v1/devices/link", ""), 401, "auth");
        assertError(server.get("/v1/devices", bearer("not-a-token")), 401, "auth");

        assertThat(numbers(devicesOf(aliceToken))).containsExactly(1, 2, 3);
        assertThat(server.total(ShardCounter.DEVICES_REMOVED)).isZero();
    }

    @Test
    void shouldEndARemovedDevicesTokenSessionQueueAndPlaceInSendersEnvelopes() {
        String aliceToken = server.register(ALICE, 1);
        String laptopToken = server.link(ALICE, aliceToken, 2);
        String bobToken = server.register(BOB, 1);
        try (TestClient laptop = server.session(ALICE, 2, laptopToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            bob.send(send(1, ALICE, 1, 2));
            bob.expect(FrameType.ACK);
            assertThat(laptop.expect(FrameType.MSG).id())
                    .as("delivered, never acknowledged")
                    .isEqualTo(1);

            assertThat(server.delete("/v1/devices/2", bearer(aliceToken)).statusCode())
                    .isEqualTo(204);

            Frame revoked = laptop.expect(FrameType.ERROR);
            assertThat(revoked.code()).isEqualTo(ErrorCode.AUTH);
            assertThat(laptop.awaitClose()).isEqualTo(1008);
            expectRefusedHello(ALICE, 2, laptopToken);
            assertError(server.get("/v1/devices", bearer(laptopToken)), 401, "auth");
            bob.send(send(2, ALICE, 1, 2));
            Frame devices = bob.expect(FrameType.ERROR);
            assertThat(devices.code()).isEqualTo(ErrorCode.DEVICES);
            assertThat(devices.id()).isEqualTo(2);
            assertThat(devices.extra().toIntArray()).containsExactly(2);
            assertThat(devices.missing().toIntArray()).isEmpty();
            bob.send(send(3, ALICE, 1));
            assertThat(bob.expect(FrameType.ACK).id()).isEqualTo(3);
            awaitTotal(ShardCounter.MESSAGES_DROPPED, 1);
            assertThat(server.total(ShardCounter.DEVICES_REMOVED)).isEqualTo(1);

            try (TestClient phone = server.session(ALICE, 1, aliceToken)) {
                for (long id : new long[] {1, 3}) {
                    Frame msg = phone.expect(FrameType.MSG);
                    assertThat(msg.id()).isEqualTo(id);
                    phone.send(recv(msg.seq()));
                    Frame delivered = bob.expect(FrameType.RECEIPT);
                    assertThat(delivered.id())
                            .as("the laptop no longer holds it back")
                            .isEqualTo(id);
                    assertThat(delivered.kind()).isEqualTo(ReceiptKind.DELIVERED);
                }
            }
        }
        assertThat(numbers(devicesOf(aliceToken))).containsExactly(1);
    }

    /**
     * Issue 16, item 10: a rotated token used to leave the session it opened running. The session now gets {@code
     * auth} and closes, while the messages queued for the device wait for its hello with the new token.
     */
    @Test
    void shouldCloseTheSessionOfARotatedTokenAndKeepItsQueue() {
        String oldToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient phone = server.session(ALICE, 1, oldToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            HttpResponse<String> rotated =
                    server.post("/v1/accounts", "{\"user\":" + ALICE + ",\"device\":1}", bearer(oldToken));
            assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
            String newToken = TestServer.token(rotated.body());

            Frame revoked = phone.expect(FrameType.ERROR);
            assertThat(revoked.code()).isEqualTo(ErrorCode.AUTH);
            assertThat(revoked.message().toString()).contains("rotated");
            assertThat(phone.awaitClose()).isEqualTo(1008);
            expectRefusedHello(ALICE, 1, oldToken);
            bob.send(send(1, ALICE, 1));
            bob.expect(FrameType.ACK);
            try (TestClient again = server.session(ALICE, 1, newToken)) {
                assertThat(again.expect(FrameType.MSG).id()).isEqualTo(1);
            }
        }
    }

    @Test
    void shouldKeepLinkedAndRemovedDevicesAcrossARestart() {
        String aliceToken = server.register(ALICE, 1);
        String laptopToken = server.link(ALICE, aliceToken, 2);
        String tabletToken = server.link(ALICE, aliceToken, 3);
        String bobToken = server.register(BOB, 1);
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            bob.send(send(1, ALICE, 1, 2, 3));
            bob.expect(FrameType.ACK);
        }
        assertThat(server.delete("/v1/devices/3", bearer(aliceToken)).statusCode())
                .isEqualTo(204);
        awaitTotal(ShardCounter.MESSAGES_DROPPED, 1);

        server.close();
        server = TestServer.start(routing(), data, settings());

        expectRefusedHello(ALICE, 3, tabletToken);
        assertThat(numbers(devicesOf(laptopToken))).containsExactly(1, 2);
        assertError(server.post("/v1/devices/link", "", bearer(laptopToken)), 403, "forbidden");
        String newTabletToken = server.link(ALICE, aliceToken, 3);
        try (TestClient laptop = server.session(ALICE, 2, laptopToken);
                TestClient tablet = server.session(ALICE, 3, newTabletToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            assertThat(laptop.expect(FrameType.MSG).id()).isEqualTo(1);
            expectNothing(tablet);
            bob.send(send(2, ALICE, 1, 2));
            assertThat(bob.expect(FrameType.ERROR).missing().toIntArray()).containsExactly(3);
        }
    }
}
