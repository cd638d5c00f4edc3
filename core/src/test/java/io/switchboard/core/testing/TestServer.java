package io.switchboard.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.config.Routing;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.metrics.MediaCounter;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.HeldVisitor;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.protocol.WireCodec;
import io.switchboard.core.server.SwitchboardServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real server on a free loopback port with its own data directory, for end-to-end tests. */
public final class TestServer implements AutoCloseable {
    /** Shards of sharded routing unless a test's settings say otherwise. */
    public static final int SHARDS = 2;

    private WireCodec codec = WireCodec.JSON;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final SwitchboardServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestServer(SwitchboardServer server) {
        this.server = server;
    }

    /** Starts a server; {@code settings} are extra keys such as {@code router.deliveryWindow}. */
    public static TestServer start(Routing routing, Path dataDir, Map<String, Object> settings) {
        Settings all = Settings.empty()
                .with("server.port", 0, "test")
                .with("server.data", dataDir, "test")
                .with("router.routing", routing.configName(), "test")
                .with("router.shards", SHARDS, "test")
                .with("transport.ioThreads", 2, "test");
        settings.forEach((key, value) -> all.with(key, value, "test"));
        try {
            return new TestServer(SwitchboardServer.start(ServerContext.conclude(all)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static TestServer start(Routing routing, Path dataDir) {
        return start(routing, dataDir, Map.of());
    }

    /** The server itself, for what a test reads in process (the account store, the push service). */
    public SwitchboardServer embedded() {
        return server;
    }

    /** Makes the clients of {@link #connect} and {@link #session} speak {@code codec} (sb.json.v1 until then). */
    public TestServer codec(WireCodec codec) {
        this.codec = codec;
        return this;
    }

    /** A client connected to this server, speaking its {@link #codec}. */
    public TestClient connect() {
        return connect(true);
    }

    /** As {@link #connect()}; {@code autoRead} false makes a slow reader ({@link TestClient#connect(URI, boolean)}). */
    public TestClient connect(boolean autoRead) {
        return TestClient.connect(webSocketUri(), codec, autoRead);
    }

    public URI webSocketUri() {
        return URI.create(server.webSocketUrl());
    }

    public int port() {
        return server.port();
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        return send(path, "POST", HttpRequest.BodyPublishers.ofString(body), headers);
    }

    public HttpResponse<String> put(String path, String body, String... headers) {
        return send(path, "PUT", HttpRequest.BodyPublishers.ofString(body), headers);
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send(path, "GET", HttpRequest.BodyPublishers.noBody(), headers);
    }

    public HttpResponse<String> delete(String path, String... headers) {
        return send(path, "DELETE", HttpRequest.BodyPublishers.noBody(), headers);
    }

    /** The header pair that authenticates a request as the device holding {@code token}. */
    public static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private HttpResponse<String> send(String path, String method, HttpRequest.BodyPublisher body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.httpUrl() + path))
                .method(method, body)
                .timeout(TestClient.TIMEOUT);
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Creates the user's account with {@code device} as its primary and returns the device's token. */
    public String register(long user, int device) {
        HttpResponse<String> response = post("/v1/accounts", "{\"user\":" + user + ",\"device\":" + device + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return token(response.body());
    }

    /**
     * Links a companion device as a client does (protocol.md, Accounts and devices): the primary, holding
     * {@code primaryToken}, asks for a link code, and the new device registers with it. Returns the new device's token.
     */
    public String link(long user, String primaryToken, int device) {
        HttpResponse<String> response = linkWith(user, device, linkCode(primaryToken));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return token(response.body());
    }

    /** {@code POST /v1/devices/link} as the device holding {@code token}, which must succeed; returns the code. */
    public String linkCode(String token) {
        HttpResponse<String> response = post("/v1/devices/link", "", bearer(token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response.body()).path("code").asText();
    }

    /** {@code POST /v1/accounts} for a new device with a link code, whatever the answer. */
    public HttpResponse<String> linkWith(long user, int device, String code) {
        return post("/v1/accounts", "{\"user\":" + user + ",\"device\":" + device + ",\"linkCode\":\"" + code + "\"}");
    }

    public static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    public static String token(String json) {
        Matcher matcher = TOKEN.matcher(json);
        assertThat(matcher.find()).as(json).isTrue();
        return matcher.group(1);
    }

    /** Connects and says hello with a token from {@link #register}. */
    public TestClient session(long user, int device, String token) {
        return connect().hello(user, device, token);
    }

    /** A counter summed over every owner of user state, read in process (counters survive the server's close). */
    public long total(ShardCounter counter) {
        return server.metrics().total(counter);
    }

    /** A counter summed over every I/O loop. */
    public long total(LoopCounter counter) {
        return server.metrics().total(counter);
    }

    /** A media counter (one set per server). */
    public long total(MediaCounter counter) {
        return server.metrics().total(counter);
    }

    /**
     * Waits until a loop counter reads {@code value}, for what the server does on its own time (noticing that a client
     * went away); fails after {@link TestClient#TIMEOUT}.
     */
    public void awaitTotal(LoopCounter counter, long value) {
        await().atMost(TestClient.TIMEOUT)
                .pollInterval(Duration.ofMillis(1))
                .alias(counter.spec().metricName() + " reads " + value)
                .until(() -> total(counter) == value);
    }

    /**
     * What the owners of user state hold ({@link SwitchboardServer#visitHeld}), one line per entry, sorted: {@code
     * "msg 99/1 from 42/1 id 7 written"} for a queue entry of user 99's device 1, {@code "receipt 42/1 id 7 DELIVERED
     * held"} for a receipt sending device 42/1 does not have; {@code written} when it went out on the current session;
     * {@code "read ignored 99 of 42/1 id 7"} for a read ignored after the owner forgot unread messages.
     */
    public List<String> held() {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try {
            server.visitHeld(
                    () -> new HeldVisitor() {
                        @Override
                        public void message(
                                long user, int device, long senderUser, int senderDevice, long id, boolean written) {
                            lines.add("msg " + user + "/" + device + " from " + senderUser + "/" + senderDevice + " id "
                                    + id + (written ? " written" : " held"));
                        }

                        @Override
                        public void receipt(
                                long senderUser, int senderDevice, long id, ReceiptKind kind, boolean written) {
                            lines.add("receipt " + senderUser + "/" + senderDevice + " id " + id + " " + kind
                                    + (written ? " written" : " held"));
                        }

                        @Override
                        public void readIgnored(long user, long senderUser, int senderDevice, long id) {
                            lines.add("read ignored " + user + " of " + senderUser + "/" + senderDevice + " id " + id);
                        }
                    },
                    TestClient.TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return lines.stream().sorted().toList();
    }

    /**
     * Holds busy the thread of every owner that holds a queued message or receipt (inside its walk of {@link
     * #visitHeld}) until the returned handle is closed, and returns once one is held: for tests of what the transport
     * does while an owner cannot take commands. Close it within {@link TestClient#TIMEOUT}.
     */
    public AutoCloseable holdBusyOwnersWithState() throws InterruptedException {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread walker = new Thread(
                () -> {
                    try {
                        server.visitHeld(() -> new BusyVisitor(entered, release), TestClient.TIMEOUT.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "test-busy-owners");
        walker.start();
        assertThat(entered.await(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .as("an owner holding state was reached")
                .isTrue();
        return () -> {
            release.countDown();
            walker.join(TestClient.TIMEOUT.toMillis());
        };
    }

    /** Waits at the first entry of its owner's walk until released. */
    private static final class BusyVisitor implements HeldVisitor {
        private final CountDownLatch entered;
        private final CountDownLatch release;
        private boolean waited;

        BusyVisitor(CountDownLatch entered, CountDownLatch release) {
            this.entered = entered;
            this.release = release;
        }

        private void waitOnce() {
            if (waited) {
                return;
            }
            waited = true;
            entered.countDown();
            try {
                release.await(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void message(long user, int device, long senderUser, int senderDevice, long id, boolean written) {
            waitOnce();
        }

        @Override
        public void receipt(long senderUser, int senderDevice, long id, ReceiptKind kind, boolean written) {
            waitOnce();
        }

        @Override
        public void readIgnored(long user, long senderUser, int senderDevice, long id) {
            waitOnce();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
