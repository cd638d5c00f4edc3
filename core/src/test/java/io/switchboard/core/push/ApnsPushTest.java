package io.switchboard.core.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.switchboard.core.config.Routing;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push through APNs, with Pushy's client against Pushy's own {@link MockApnsServer}: real TLS on loopback (a
 * certificate made for the test), token authentication with a signing key made for the test that the mock verifies,
 * and the mock's 410 Unregistered for an expired token.
 */
@Timeout(60)
class ApnsPushTest {
    private static final long ALICE = 42;
    private static final long BOB = 99;
    private static final String TEAM = "TEAM123456";
    private static final String KEY_ID = "KEY1234567";
    private static final String TOPIC = "io.switchboard.test";
    private static final String GOOD_TOKEN = "ab".repeat(32);
    private static final String EXPIRED_TOKEN = "cd".repeat(32);

    @TempDir
    Path dir;

    private SelfSignedCertificate certificate;
    private MockApnsServer apns;
    private TestServer server;
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<RejectionReason> rejected = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair signing = generator.generateKeyPair();
        Path keyFile = dir.resolve("AuthKey.p8");
        Files.writeString(
                keyFile,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(signing.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        ApnsVerificationKey verification = new ApnsVerificationKey(KEY_ID, TEAM, (ECPublicKey) signing.getPublic());

        certificate = new SelfSignedCertificate("localhost");
        apns = new MockApnsServerBuilder()
                .setServerCredentials(certificate.certificate(), certificate.privateKey(), null)
                .setHandlerFactory(new ValidatingPushNotificationHandlerFactory(
                        Map.of(TOPIC, Set.of(GOOD_TOKEN, EXPIRED_TOKEN)),
                        Map.of(EXPIRED_TOKEN, Instant.now().minusSeconds(60)),
                        Map.of(KEY_ID, verification),
                        Map.of(verification, Set.of(TOPIC))))
                .setListener(new MockApnsServerListener() {
                    @Override
                    public void handlePushNotificationAccepted(Http2Headers headers, ByteBuf payload) {
                        accepted.add(headers.path() + " " + payload.toString(StandardCharsets.UTF_8));
                    }

                    @Override
                    public void handlePushNotificationRejected(
                            Http2Headers headers, ByteBuf payload, RejectionReason reason, Instant expired) {
                        rejected.add(reason);
                    }
                })
                .build();
        int port = apns.start(0).get();
        server = TestServer.start(
                Routing.SHARDED,
                dir.resolve("data"),
                Map.of(
                        "push.apns.enabled", true,
                        "push.apns.endpoint", "localhost:" + port,
                        "push.apns.teamId", TEAM,
                        "push.apns.keyId", KEY_ID,
                        "push.apns.keyPath", keyFile,
                        "push.apns.topic", TOPIC,
                        "push.apns.trustedCertificates", certificate.certificate()));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        apns.shutdown().get();
        certificate.delete();
    }

    @Test
    void shouldPushThroughApnsWithoutContentAndForgetATokenApnsSaysIsGone() {
        String aliceToken = server.register(ALICE, 1);
        String phone = server.register(BOB, 1);
        String tablet = server.link(BOB, phone, 2);
        register(phone, GOOD_TOKEN);
        register(tablet, EXPIRED_TOKEN);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(new Frame()
                    .reset(FrameType.SEND)
                    .id(1)
                    .toUser(BOB)
                    .addEnvelope(1, EnvelopeType.MSG, "secret words".getBytes(StandardCharsets.UTF_8))
                    .addEnvelope(2, EnvelopeType.MSG, "secret words".getBytes(StandardCharsets.UTF_8)));
            alice.expect(FrameType.ACK);
        }
        await().atMost(TestClient.TIMEOUT).until(() -> accepted.size() == 1 && rejected.size() == 1);
        assertThat(accepted.get(0)).isEqualTo("/3/device/" + GOOD_TOKEN + " {\"aps\":{\"content-available\":1}}");
        assertThat(rejected).containsExactly(RejectionReason.UNREGISTERED);
        await().atMost(TestClient.TIMEOUT)
                .until(() -> !server.embedded().accounts().pushes().registered(BOB, 2));
        assertThat(server.embedded().accounts().pushes().registered(BOB, 1)).isTrue();
    }

    private void register(String deviceToken, String apnsToken) {
        assertThat(server.put(
                                "/v1/push",
                                "{\"platform\":\"apns\",\"token\":\"" + apnsToken + "\"}",
                                TestServer.bearer(deviceToken))
                        .statusCode())
                .isEqualTo(204);
    }
}
