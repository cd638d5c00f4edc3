package io.switchboard.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.config.Routing;
import io.switchboard.core.metrics.MediaCounter;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * protocol.md's Media end to end over real sockets, against the store a subclass picks: a blob uploaded in a stream
 * far larger than the HTTP aggregator takes comes back byte for byte, in ranges, with an ETag; the limits, the
 * authentication and the retention hold. The same contract runs against the file store and S3 (S3Proxy).
 */
@Timeout(60)
abstract class MediaContract {
    static final long ALICE = 42;
    static final long BOB = 99;
    /** Three times the HTTP aggregator's 64 KiB, and more than one pipe's worth, so the body must stream. */
    static final int BLOB_BYTES = 3 * 1024 * 1024 + 17;

    static final long MAX_BYTES = 4 * 1024 * 1024;

    @TempDir
    Path data;

    TestServer server;
    String aliceToken;
    String bobToken;
    final HttpClient http = HttpClient.newHttpClient();

    /** The store's settings. */
    abstract Map<String, Object> storeSettings();

    @BeforeEach
    void startServer() {
        start(Map.of());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** (Re)starts the server with the store's settings and {@code extra}; Alice and Bob are registered once. */
    void start(Map<String, Object> extra) {
        if (server != null) {
            server.close();
        }
        Map<String, Object> settings = new HashMap<>(storeSettings());
        settings.put("media.maxBytes", MAX_BYTES);
        settings.putAll(extra);
        server = TestServer.start(Routing.SHARDED, data, settings);
        if (aliceToken == null) {
            aliceToken = server.register(ALICE, 1);
            bobToken = server.register(BOB, 1);
        }
    }

    static byte[] blob(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> upload(byte[] bytes, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/v1/media"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .header("Content-Type", "application/octet-stream")
                .timeout(TestClient.TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Uploads as Alice, once more after a 503 (unavailable: a client tries again), and returns the id. A store may
     * fail an upload for a moment: S3Proxy under the full suite once failed the SDK's first attempt, whose retry cannot
     * have the streamed body again, and the server answered 503 as it should.
     */
    String uploaded(byte[] bytes) {
        return uploaded(bytes, aliceToken);
    }

    /** As {@link #uploaded(byte[])}, as the device {@code token} names. */
    String uploaded(byte[] bytes, String token) {
        HttpResponse<String> response = upload(bytes, token);
        if (response.statusCode() == 503) {
            response = upload(bytes, token);
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(TestServer.json(response.body()).path("size").asLong()).isEqualTo(bytes.length);
        return TestServer.json(response.body()).path("id").asText();
    }

    HttpResponse<byte[]> download(String id, String token, String... headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri("/v1/media/" + id)).GET().timeout(TestClient.TIMEOUT);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.build(), body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldGiveBackAStreamedBlobByteForByteToAnotherUser() {
        byte[] bytes = blob(BLOB_BYTES);
        String id = uploaded(bytes);
        assertThat(id).matches("[A-Za-z0-9_-]{22}");

        HttpResponse<byte[]> fetched = download(id, bobToken);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(bytes);
        assertThat(fetched.headers().firstValue("ETag")).hasValue("\"" + id + "\"");
        assertThat(fetched.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(server.total(MediaCounter.BYTES_IN)).isEqualTo(BLOB_BYTES);
        await().atMost(TestClient.TIMEOUT).until(() -> server.total(MediaCounter.BYTES_OUT) == BLOB_BYTES);
        assertThat(uploaded(new byte[0])).as("an empty blob").isNotEqualTo(id);
    }

    @Test
    void shouldAnswerRangesWith206AndARangePastTheEndWith416() {
        byte[] bytes = blob(BLOB_BYTES);
        String id = uploaded(bytes);

        HttpResponse<byte[]> middle = download(id, bobToken, "Range", "bytes=1000000-1999999");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).hasValue("bytes 1000000-1999999/" + BLOB_BYTES);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(bytes, 1_000_000, 2_000_000));

        HttpResponse<byte[]> tail = download(id, bobToken, "Range", "bytes=-10");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(bytes, BLOB_BYTES - 10, BLOB_BYTES));

        HttpResponse<byte[]> past = download(id, bobToken, "Range", "bytes=" + BLOB_BYTES + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).hasValue("bytes */" + BLOB_BYTES);
    }

    @Test
    void shouldAnswer304WhenTheClientHasTheBlob() {
        String id = uploaded(blob(1000));
        HttpResponse<byte[]> first = download(id, bobToken);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<byte[]> again = download(id, bobToken, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(download(id, bobToken, "If-None-Match", "\"other\"").statusCode())
                .isEqualTo(200);
    }

    @Test
    void shouldRefuseClientsWithoutAToken() {
        String id = uploaded(blob(1000));
        assertThat(upload(blob(1000), null).statusCode()).isEqualTo(401);
        assertThat(upload(blob(1000), "not-a-token").statusCode()).isEqualTo(401);
        assertThat(download(id, null).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldAnswer404ForAnIdItNeverIssued() {
        uploaded(blob(1000));
        HttpResponse<byte[]> unknown = download(MediaIds.next(), bobToken);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new String(unknown.body(), StandardCharsets.UTF_8)).contains("\"error\":\"not-found\"");
        assertThat(download("..%2F..%2Faccounts.log", bobToken).statusCode()).isEqualTo(404);
    }

    /** The answer comes from the head alone: the body is never read, and the connection is closed, as it says. */
    @Test
    void shouldRefuseABlobAboveTheLimitBeforeItsBody() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + aliceToken
                            + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + (MAX_BYTES + 1)
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"error\":\"too-large\"");
            // Said, so that a client does not send its next request down this connection, which the answer closes.
            assertThat(answer).containsIgnoringCase("\r\nconnection: close\r\n");
        }
        assertThat(server.total(MediaCounter.UPLOADS)).isZero();
    }

    @Test
    void shouldRefuseUploadsOverTheAddressRateWith429() {
        start(Map.of("limits.mediaUploads.perSecond", 1, "limits.mediaUploads.burst", 1));
        uploaded(blob(10));
        HttpResponse<String> refused = upload(blob(10), aliceToken);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(TestServer.json(refused.body()).path("error").asText()).isEqualTo("rate-limited");
    }

    @Test
    void shouldForgetBlobsPastTheRetention() throws IOException {
        start(Map.of("media.retentionMs", 1500));
        String id = uploaded(blob(1000));
        await().atMost(TestClient.TIMEOUT).until(() -> download(id, bobToken).statusCode() == 404);
        // At least: a first attempt that the store kept but answered as failed (uploaded() tries again) expires too.
        await().atMost(TestClient.TIMEOUT).until(() -> server.total(MediaCounter.EXPIRED) >= 1);
        assertThat(stored()).isZero();
    }

    /** Two 4 KiB blocks: a blob counts as its size in whole blocks, so a quota of {@link #QUOTA} holds one. */
    static final int QUOTA_BLOB_BYTES = 8192;

    static final long QUOTA = 12_288;

    /** A 413 {@code over-quota}: the user holds too much; nothing of the blob is stored. */
    static void assertOverQuota(HttpResponse<String> refused) {
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(413);
        assertThat(TestServer.json(refused.body()).path("error").asText()).isEqualTo("over-quota");
    }

    /**
     * The quota is the user's, all of its devices together: a companion of a user at its quota is refused too, and
     * another user is not; the refusal is counted by kind in /metrics and keeps nothing.
     */
    @Test
    void shouldRefuseAUserAtItsQuotaOnEveryDeviceButNotAnotherUser() throws IOException {
        start(Map.of("media.userQuotaBytes", QUOTA));
        String aliceCompanion = server.link(ALICE, aliceToken, 2);
        uploaded(blob(QUOTA_BLOB_BYTES));

        assertOverQuota(upload(blob(QUOTA_BLOB_BYTES), aliceToken));
        assertOverQuota(upload(blob(QUOTA_BLOB_BYTES), aliceCompanion));
        uploaded(blob(QUOTA_BLOB_BYTES), bobToken);
        assertThat(stored()).isEqualTo(2);
        assertThat(server.total(MediaCounter.REFUSED_OVER_QUOTA)).isEqualTo(2);
        assertThat(server.get("/metrics").body())
                .containsPattern("switchboard_media_uploads_refused_total\\{[^}]*kind=\"over-quota\"[^}]*\\} 2\\.0");
    }

    @Test
    void shouldRefuseEveryUserWith503WhenTheStoreIsFull() {
        start(Map.of("media.maxStoreBytes", 2 * QUOTA_BLOB_BYTES));
        uploaded(blob(QUOTA_BLOB_BYTES));
        uploaded(blob(QUOTA_BLOB_BYTES), bobToken);

        HttpResponse<String> full = upload(blob(1), bobToken);
        assertThat(full.statusCode()).as(full.body()).isEqualTo(503);
        assertThat(TestServer.json(full.body()).path("error").asText()).isEqualTo("unavailable");
        assertThat(server.total(MediaCounter.REFUSED_STORE_FULL)).isEqualTo(1);
    }

    @Test
    void shouldGiveBackTheQuotaOfBlobsPastTheRetention() {
        start(Map.of("media.userQuotaBytes", QUOTA, "media.retentionMs", 1500));
        uploaded(blob(QUOTA_BLOB_BYTES));
        assertOverQuota(upload(blob(QUOTA_BLOB_BYTES), aliceToken));

        // At least: a first attempt that the store kept but answered as failed (uploaded() tries again) expires too.
        await().atMost(TestClient.TIMEOUT).until(() -> server.total(MediaCounter.EXPIRED) >= 1);
        uploaded(blob(QUOTA_BLOB_BYTES));
    }

    @Test
    void shouldCountWhatAUserHoldsAgainAfterARestart() {
        start(Map.of("media.userQuotaBytes", QUOTA));
        uploaded(blob(QUOTA_BLOB_BYTES));

        start(Map.of("media.userQuotaBytes", QUOTA));
        assertOverQuota(upload(blob(QUOTA_BLOB_BYTES), aliceToken));
        uploaded(blob(QUOTA_BLOB_BYTES), bobToken);
    }

    /** An upload that never finished gives back what it took at its head. */
    @Test
    void shouldGiveBackTheQuotaOfAnUploadWhoseClientWentAway() throws IOException {
        start(Map.of("media.userQuotaBytes", QUOTA));
        abandonUpload(QUOTA_BLOB_BYTES, QUOTA_BLOB_BYTES / 2);
        await().atMost(TestClient.TIMEOUT).until(() -> server.total(MediaCounter.UPLOADS_ABORTED) == 1);
        uploaded(blob(QUOTA_BLOB_BYTES));
    }

    /** Blobs the store holds now, looked at behind the server's back. */
    abstract long stored() throws IOException;

    /** Writes a POST's head and {@code sent} bytes of a body of {@code declared}, then drops the connection. */
    void abandonUpload(int declared, int sent) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + aliceToken
                            + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + declared
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(blob(sent));
            out.flush();
            InputStream unused = socket.getInputStream();
            assertThat(unused.available()).as("no answer before the body's end").isZero();
        }
    }

    @Test
    void shouldKeepNothingOfAnUploadWhoseClientWentAway() throws IOException {
        abandonUpload(BLOB_BYTES, BLOB_BYTES / 2);
        await().atMost(TestClient.TIMEOUT).until(() -> server.total(MediaCounter.UPLOADS_ABORTED) == 1);
        assertThat(stored()).isZero();
        assertThat(server.total(MediaCounter.UPLOADS)).isZero();
        assertThat(server.total(MediaCounter.STORE_ERRORS)).isZero();
    }
}
