package io.switchboard.core.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.switchboard.core.config.Routing;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.router.sharded.ShardedRouter;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push through FCM HTTP v1 against {@link FakeFcm} on a real socket: the service account's token exchange happens
 * once for many pushes, UNREGISTERED removes the registration, a platform that is down is retried, and one that hangs
 * delays nothing but its own pushes.
 */
@Timeout(60)
class FcmPushTest {
    private static final long ALICE = 42;
    private static final long BOB = 99;

    @TempDir
    Path dir;

    private FakeFcm fcm;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        fcm = new FakeFcm();
        Map<String, Object> settings = new HashMap<>();
        settings.put("push.fcm.enabled", true);
        settings.put("push.fcm.projectId", FakeFcm.PROJECT);
        settings.put("push.fcm.endpoint", fcm.url());
        settings.put("push.fcm.tokenUrl", fcm.tokenUrl());
        settings.put("push.fcm.credentials", fcm.writeCredentials(dir));
        settings.put("push.retryBaseMs", 20);
        settings.put("push.timeoutMs", 60_000);
        server = TestServer.start(Routing.SHARDED, dir.resolve("data"), settings);
    }

    @AfterEach
    void stop() {
        server.close();
        fcm.close();
    }

    private void register(String deviceToken, String fcmToken) {
        assertThat(server.put(
                                "/v1/push",
                                "{\"platform\":\"fcm\",\"token\":\"" + fcmToken + "\"}",
                                TestServer.bearer(deviceToken))
                        .statusCode())
                .isEqualTo(204);
    }

    private static Frame send(long id, long to, int devices) {
        Frame send = new Frame().reset(FrameType.SEND).id(id).toUser(to);
        for (int device = 1; device <= devices; device++) {
            send.addEnvelope(device, EnvelopeType.MSG, "secret words".getBytes(StandardCharsets.UTF_8));
        }
        return send;
    }

    private double counter(String name, String tag, String value) {
        Counter counter = server.embedded()
                .metrics()
                .registry()
                .find(name)
                .tag(tag, value)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldExchangeTheAccessTokenOnceAndForgetATokenFcmSaysIsUnregistered() {
        String aliceToken = server.register(ALICE, 1);
        String phone = server.register(BOB, 1);
        String tablet = server.link(BOB, phone, 2);
        String carol = server.register(7, 1);
        register(phone, "good-phone");
        register(tablet, "gone");
        register(carol, "good-carol");
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(send(1, BOB, 2));
            alice.expect(FrameType.ACK);
            alice.send(send(2, 7, 1));
            alice.expect(FrameType.ACK);
        }
        await().atMost(TestClient.TIMEOUT).until(() -> fcm.pushes.size() == 3);
        await().atMost(TestClient.TIMEOUT)
                .until(() -> !server.embedded().accounts().pushes().registered(BOB, 2));
        // A push after the first ones were answered: the cached access token, not a second exchange.
        register(server.register(8, 1), "good-dave");
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(send(3, 8, 1));
            alice.expect(FrameType.ACK);
        }
        await().atMost(TestClient.TIMEOUT).until(() -> fcm.pushes.size() == 4);
        assertThat(fcm.exchanges()).isEqualTo(1);
        assertThat(fcm.pushes)
                .anyMatch(push -> push.startsWith("good-phone 200 "))
                .anyMatch(push -> push.startsWith("good-carol 200 "))
                .anyMatch(push -> push.startsWith("good-dave 200 "))
                .anyMatch(push -> push.startsWith("gone 404 "))
                .noneMatch(push -> push.contains("secret") || push.contains("notification"));
        assertThat(server.embedded().accounts().pushes().registered(BOB, 1)).isTrue();
        await().atMost(TestClient.TIMEOUT)
                .until(() -> counter("switchboard.push.sent", PushMetrics.PLATFORM_TAG, "fcm") == 3);
        assertThat(counter("switchboard.push.failed", PushMetrics.REASON_TAG, "unregistered"))
                .isEqualTo(1);
    }

    @Test
    void shouldRetryAPushWhileFcmIsDown() {
        String aliceToken = server.register(ALICE, 1);
        register(server.register(BOB, 1), "flaky");
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(send(1, BOB, 1));
            alice.expect(FrameType.ACK);
        }
        await().atMost(TestClient.TIMEOUT).until(() -> fcm.pushes.size() == 3);
        assertThat(fcm.pushes).extracting(push -> push.split(" ")[1]).containsExactly("503", "503", "200");
        await().atMost(TestClient.TIMEOUT)
                .until(() -> counter("switchboard.push.sent", PushMetrics.PLATFORM_TAG, "fcm") == 1);
        assertThat(server.embedded().accounts().pushes().registered(BOB, 1)).isTrue();
    }

    /**
     * Bob's push hangs at FCM; Carol, on Bob's shard, still gets Alice's message and Alice its receipts at once. The
     * bound is far below the hang (60 s) and far above a round trip on loopback (milliseconds).
     */
    @Test
    void shouldDeliverToOthersWhileFcmHangs() throws InterruptedException {
        long carolUser = BOB + 1;
        while (ShardedRouter.shardOf(carolUser, TestServer.SHARDS) != ShardedRouter.shardOf(BOB, TestServer.SHARDS)) {
            carolUser++;
        }
        String aliceToken = server.register(ALICE, 1);
        register(server.register(BOB, 1), "hang");
        String carolToken = server.register(carolUser, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient carol = server.session(carolUser, 1, carolToken)) {
            alice.send(send(1, BOB, 1));
            alice.expect(FrameType.ACK);
            assertThat(fcm.hanging.await(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .isTrue();
            for (long id = 2; id <= 6; id++) {
                long startNs = System.nanoTime();
                alice.send(send(id, carolUser, 1));
                alice.expect(FrameType.ACK);
                carol.send(new Frame()
                        .reset(FrameType.RECV)
                        .seq(carol.expect(FrameType.MSG).seq()));
                assertThat(alice.expect(FrameType.RECEIPT).kind()).isEqualTo(ReceiptKind.DELIVERED);
                assertThat(Duration.ofNanos(System.nanoTime() - startNs)).isLessThan(Duration.ofSeconds(2));
            }
        }
    }
}
