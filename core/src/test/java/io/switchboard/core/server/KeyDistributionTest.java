package io.switchboard.core.server;

import static io.switchboard.core.testing.TestServer.bearer;
import static io.switchboard.core.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.config.Routing;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestKeys;
import io.switchboard.core.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMPublicKey;

/**
 * protocol.md's Keys over real sockets, with keys libsignal made and checks libsignal does: uploads are verified and
 * stored, bundles hand out each one-time key once (under concurrent fetchers too) and then the last-resort key, a
 * companion shares the account's identity key, a removed device's keys go, fetches are rate-limited, large batches fit,
 * and a connected device whose keys run low hears {@code keys.low}.
 */
@Timeout(120)
class KeyDistributionTest extends ServerContract {
    private static final Base64.Decoder BASE64 = Base64.getDecoder();

    @TempDir
    Path other;

    @Override
    Routing routing() {
        return Routing.SHARDED;
    }

    private HttpResponse<String> upload(TestServer on, String token, String body) {
        return on.put("/v1/keys", body, bearer(token));
    }

    private JsonNode fetch(TestServer on, String token, String path) {
        HttpResponse<String> fetched = on.get(path, bearer(token));
        assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
        return json(fetched.body());
    }

    private JsonNode count(String token) {
        HttpResponse<String> counted = server.get("/v1/keys/count", bearer(token));
        assertThat(counted.statusCode()).as(counted.body()).isEqualTo(200);
        return json(counted.body());
    }

    @Test
    void shouldHandOutAnUploadedBundleWhoseSignaturesVerify() throws Exception {
        String alice = server.register(ALICE, 1);
        String bob = server.register(BOB, 1);
        TestKeys keys = new TestKeys();
        HttpResponse<String> stored = upload(server, alice, keys.upload(1, 2, 2));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(json(stored.body()).path("preKeys").asInt()).isEqualTo(2);

        JsonNode bundle = fetch(server, bob, "/v1/keys/" + ALICE);
        IdentityKey identity =
                new IdentityKey(BASE64.decode(bundle.path("identityKey").asText()));
        assertThat(identity).isEqualTo(keys.identity().getPublicKey());
        assertThat(bundle.path("devices")).hasSize(1);
        JsonNode device = bundle.path("devices").get(0);
        assertThat(device.path("device").asInt()).isEqualTo(1);
        assertThat(device.path("registrationId").asInt()).isEqualTo(4242);
        assertThat(verifies(identity, device.path("signedPreKey"))).isTrue();
        assertThat(device.path("preKey").path("id").asInt()).isEqualTo(1);
        JsonNode kyber = device.path("kyberPreKey");
        assertThat(kyber.path("id").asInt()).isEqualTo(1);
        assertThat(verifies(identity, kyber)).isTrue();
        new KEMPublicKey(BASE64.decode(kyber.path("publicKey").asText()));

        assertThat(count(alice).path("preKeys").asInt()).isEqualTo(1);
        assertThat(count(alice).path("kyberPreKeys").asInt()).isEqualTo(1);
        assertThat(fetch(server, bob, "/v1/keys/" + ALICE + "/1")
                        .path("devices")
                        .get(0)
                        .path("preKey")
                        .path("id")
                        .asInt())
                .isEqualTo(2);
        assertThat(server.total(LoopCounter.KEY_UPLOADS)).isEqualTo(1);
        assertThat(server.total(LoopCounter.KEY_FETCHES)).isEqualTo(2);
        assertThat(server.total(LoopCounter.KEYS_HANDED_OUT)).isEqualTo(4);
    }

    private static boolean verifies(IdentityKey identity, JsonNode key) {
        return identity.getPublicKey()
                .verifySignature(
                        BASE64.decode(key.path("publicKey").asText()),
                        BASE64.decode(key.path("signature").asText()));
    }

    @Test
    void shouldRefuseAKeyNotSignedByTheIdentityKeyAndStoreNothing() {
        String alice = server.register(ALICE, 1);
        TestKeys keys = new TestKeys();
        Map<String, Object> fields = keys.uploadFields(1, 3, 3);
        // Signed, but by another identity: a server that does not check would hand it out.
        TestKeys mallory = new TestKeys();
        fields.put(
                "signedPreKey",
                mallory.signed(7, ECKeyPair.generate().getPublicKey().serialize()));

        HttpResponse<String> refused = upload(server, alice, TestKeys.json(fields));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(json(refused.body()).path("message").asText()).contains("signedPreKey");
        assertThat(count(alice).path("preKeys").asInt()).isZero();
        assertThat(server.get("/v1/keys/" + ALICE, bearer(alice)).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldRefuseACompanionWhoseIdentityKeyIsNotTheAccounts() {
        String alice = server.register(ALICE, 1);
        String companion = server.link(ALICE, alice, 2);
        TestKeys primary = new TestKeys();
        assertThat(upload(server, alice, primary.upload(1, 1, 1)).statusCode()).isEqualTo(200);

        HttpResponse<String> conflict = upload(server, companion, new TestKeys().upload(1, 1, 1));
        assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
        assertThat(server.get("/v1/keys/" + ALICE + "/2", bearer(alice)).statusCode())
                .isEqualTo(404);

        TestKeys sameIdentity = new TestKeys(primary.identity());
        assertThat(upload(server, companion, sameIdentity.upload(1, 1, 1)).statusCode())
                .isEqualTo(200);
        assertThat(fetch(server, alice, "/v1/keys/" + ALICE).path("devices")).hasSize(2);
    }

    @Test
    void shouldHandEachOneTimeKeyToOneOfManyConcurrentFetchersThenTheLastResortKey() throws Exception {
        String alice = server.register(ALICE, 1);
        int keys = 40;
        int fetchers = 8;
        int fetchesEach = 8;
        assertThat(upload(server, alice, new TestKeys().upload(1, keys, keys)).statusCode())
                .isEqualTo(200);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < fetchers; i++) {
            tokens.add(server.register(1000 + i, 1));
        }

        List<JsonNode> bundles = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(fetchers);
        try {
            List<Callable<Void>> work = new ArrayList<>();
            for (String token : tokens) {
                work.add(() -> {
                    // A client of its own each, so the fetches arrive on separate connections (and I/O loops).
                    HttpClient client = HttpClient.newHttpClient();
                    for (int i = 0; i < fetchesEach; i++) {
                        HttpResponse<String> fetched = client.send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + server.port() + "/v1/keys/" + ALICE))
                                        .header("Authorization", "Bearer " + token)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
                        bundles.add(json(fetched.body()).path("devices").get(0));
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(work)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        List<Integer> preKeyIds = new ArrayList<>();
        List<Integer> kyberIds = new ArrayList<>();
        int lastResort = 0;
        for (JsonNode bundle : bundles) {
            if (bundle.has("preKey")) {
                preKeyIds.add(bundle.path("preKey").path("id").asInt());
            }
            int kyber = bundle.path("kyberPreKey").path("id").asInt();
            if (kyber == TestKeys.LAST_RESORT_ID) {
                lastResort++;
            } else {
                kyberIds.add(kyber);
            }
        }
        assertThat(bundles).hasSize(fetchers * fetchesEach);
        assertThat(preKeyIds)
                .as("every EC one-time key, each once")
                .hasSize(keys)
                .doesNotHaveDuplicates();
        assertThat(kyberIds)
                .as("every Kyber one-time key, each once")
                .hasSize(keys)
                .doesNotHaveDuplicates();
        assertThat(lastResort).isEqualTo(fetchers * fetchesEach - keys);
        assertThat(count(alice).path("preKeys").asInt()).isZero();
        assertThat(server.total(LoopCounter.KEYS_HANDED_OUT)).isEqualTo(2L * keys);
    }

    @Test
    void shouldDropTheKeysOfARemovedDeviceAlsoAfterARestart() {
        String alice = server.register(ALICE, 1);
        String companion = server.link(ALICE, alice, 2);
        TestKeys keys = new TestKeys();
        assertThat(upload(server, alice, keys.upload(1, 2, 2)).statusCode()).isEqualTo(200);
        assertThat(upload(server, companion, new TestKeys(keys.identity()).upload(1, 2, 2))
                        .statusCode())
                .isEqualTo(200);

        assertThat(server.delete("/v1/devices/2", bearer(alice)).statusCode()).isEqualTo(204);
        assertThat(server.get("/v1/keys/" + ALICE + "/2", bearer(alice)).statusCode())
                .isEqualTo(404);
        assertThat(fetch(server, alice, "/v1/keys/" + ALICE).path("devices")).hasSize(1);

        restart();
        assertThat(server.get("/v1/keys/" + ALICE + "/2", bearer(alice)).statusCode())
                .isEqualTo(404);
        JsonNode devices = fetch(server, alice, "/v1/keys/" + ALICE).path("devices");
        assertThat(devices).hasSize(1);
        assertThat(devices.get(0).path("device").asInt()).isEqualTo(1);
        assertThat(devices.get(0).path("preKey").path("id").asInt())
                .as("the restart hands out no key again")
                .isEqualTo(2);
    }

    @Test
    void shouldRateLimitKeyFetchesPerAddress() {
        try (TestServer limited = TestServer.start(
                routing(),
                other,
                Map.of("limits.keyFetches.perSecond", 1, "limits.keyFetches.burst", 2, "transport.ioThreads", 1))) {
            String alice = limited.register(ALICE, 1);
            assertThat(upload(limited, alice, new TestKeys().upload(1, 5, 5)).statusCode())
                    .isEqualTo(200);
            fetch(limited, alice, "/v1/keys/" + ALICE);
            fetch(limited, alice, "/v1/keys/" + ALICE);

            HttpResponse<String> refused = limited.get("/v1/keys/" + ALICE, bearer(alice));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(json(refused.body()).path("error").asText()).isEqualTo("rate-limited");
            assertThat(limited.total(LoopCounter.REFUSED_KEY_FETCHES)).isEqualTo(1);
            assertThat(limited.total(LoopCounter.KEYS_HANDED_OUT))
                    .as("the refused fetch took nothing")
                    .isEqualTo(4);
        }
    }

    @Test
    void shouldTakeABatchOfAHundredKeysOfEachKindOnTheKeysEndpointOnly() {
        String alice = server.register(ALICE, 1);
        String batch = new TestKeys().upload(1, 100, 100);
        assertThat(batch.length()).as("a Signal client's batch, near").isGreaterThan(200_000);

        HttpResponse<String> stored = upload(server, alice, batch);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(count(alice).path("kyberPreKeys").asInt()).isEqualTo(100);

        HttpResponse<String> tooLarge = server.post("/v1/devices/link", batch, bearer(alice));
        assertThat(tooLarge.statusCode())
                .as("other endpoints keep their small limit")
                .isEqualTo(413);
    }

    @Test
    void shouldRefuseMoreOneTimeKeysThanADeviceMayStore() {
        try (TestServer bounded =
                TestServer.start(routing(), other, Map.of("keys.maxKyberPreKeys", 5, "keys.lowThreshold", 2))) {
            String alice = bounded.register(ALICE, 1);
            TestKeys keys = new TestKeys();
            assertThat(upload(bounded, alice, keys.upload(1, 3, 3)).statusCode())
                    .isEqualTo(200);

            HttpResponse<String> refused = upload(bounded, alice, keys.upload(10, 3, 3));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
            assertThat(json(refused.body()).path("error").asText()).isEqualTo("too-many-keys");
            HttpResponse<String> counted = bounded.get("/v1/keys/count", bearer(alice));
            assertThat(json(counted.body()).path("kyberPreKeys").asInt())
                    .as("nothing of it stored")
                    .isEqualTo(3);
        }
    }

    @Test
    void shouldTellAConnectedDeviceWhoseOneTimeKeysRunLow() {
        try (TestServer low = TestServer.start(routing(), other, Map.of("keys.lowThreshold", 2))) {
            String alice = low.register(ALICE, 1);
            String bob = low.register(BOB, 1);
            assertThat(upload(low, alice, new TestKeys().upload(1, 3, 3)).statusCode())
                    .isEqualTo(200);
            try (TestClient session = low.session(ALICE, 1, alice)) {
                fetch(low, bob, "/v1/keys/" + ALICE); // 2 of each left: not below 2
                fetch(low, bob, "/v1/keys/" + ALICE); // 1 left

                Frame keysLow = session.expect(FrameType.KEYS_LOW);
                assertThat(keysLow.preKeys()).isEqualTo(1);
                assertThat(keysLow.kyberPreKeys()).isEqualTo(1);
                assertThat(low.total(LoopCounter.KEYS_LOW_SENT)).isEqualTo(1);
            }
        }
    }
}
