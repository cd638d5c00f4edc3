package io.switchboard.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.accounts.DeviceId;
import io.switchboard.core.config.KeysContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.keys.KeyStore;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.testing.MemoryDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The HTTP side of the public port against arbitrary bytes from a client (the fuzz profile and docs/fuzzing.md tell how
 * to run it), through the same codec and aggregator as {@link NettyServer}'s pipeline: every request that reaches
 * {@link HttpHandler} gets exactly one well-formed response from it (or, at {@code /ws}, is passed on to the WebSocket
 * handshake), nothing throws, and every buffer of the exchange is released.
 *
 * <p>An input is the bytes a client sends on one connection, so it may hold several requests, or none that parses. To
 * let inputs reach the endpoints that need a device, {@code $TOKEN} in them stands for the current token of an
 * account's primary device (user 1, device 1) and {@code $LINK} for a link code of that account. The account store
 * lives for the whole fuzzing run (on {@code /dev/shm} where there is one, so that each registration's force is
 * cheap): an input meets the accounts earlier ones made, as a server does.
 *
 * <p>Seeds: {@code HttpHandlerFuzzTestInputs/} under test resources, one request (or a few) each.
 */
class HttpHandlerFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PRIMARY_USER = 1;
    private static final int PRIMARY_DEVICE = 1;

    private MemoryDirectory data;
    private AccountStore accounts;
    private AccountEndpoints accountEndpoints;
    private KeyStore keys;
    private KeyEndpoints keyEndpoints;
    private AdminEndpoints admin;
    private String primaryToken;

    @BeforeEach
    void open() {
        data = new MemoryDirectory("switchboard-http-fuzz");
        accounts = AccountStore.open(data.path());
        accountEndpoints = new AccountEndpoints(
                accounts,
                (user, device) -> {},
                null,
                Runnable::run,
                (user, device) -> true,
                connection -> {},
                (channel, kind) -> 0);
        keys = KeyStore.open(data.path(), KeysContext.from(Settings.empty()), accounts::deviceMask);
        CounterSet<LoopCounter> counters = CounterSet.standalone("fuzz", LoopCounter.class);
        keyEndpoints = new KeyEndpoints(
                accounts,
                keys,
                KeysContext.from(Settings.empty()),
                Runnable::run,
                (channel, kind) -> 0,
                channel -> counters,
                (user, device, left) -> {});
        admin = new AdminEndpoints(new ServerMetrics(true, "fuzz"), Runnable::run, 1);
        primaryToken =
                accounts.register(PRIMARY_USER, PRIMARY_DEVICE, null, null).token();
    }

    @AfterEach
    void close() {
        keys.close();
        accounts.close();
        data.close();
    }

    @FuzzTest
    void shouldAnswerEveryRequestOnceWellFormedWithoutThrowingOrLeaking(byte[] input) {
        TrackingAllocator allocator = new TrackingAllocator();
        WebSocketSide webSocket = new WebSocketSide();
        Exchanges exchanges = new Exchanges(webSocket);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        channel.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new RequestBodyAggregator(
                        NettyServer.MAX_HTTP_REQUEST_BYTES, NettyServer.MAX_KEYS_REQUEST_BYTES))
                .addLast(exchanges)
                .addLast(new HttpHandler(accountEndpoints, keyEndpoints, admin))
                .addLast(webSocket);

        ByteBuf bytes = allocator.buffer();
        bytes.writeBytes(withPlaceholders(input));
        try {
            channel.writeInbound(bytes); // rethrows what HttpHandler threw
        } finally {
            channel.finishAndReleaseAll();
        }

        // Each request's content comes from the allocator (a request Netty could not decode has none), so this also
        // finds a request the handler did not release.
        assertThat(allocator.unreleased()).as("buffers not released").isEmpty();
        followRotation(exchanges.tokens);
    }

    private byte[] withPlaceholders(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        if (!text.contains("$")) {
            return input;
        }
        if (text.contains("$LINK")) {
            DeviceId primary = new DeviceId(PRIMARY_USER, PRIMARY_DEVICE);
            text = text.replace(
                    "$LINK", accounts.linkCode(primary).orElseThrow().code());
        }
        return text.replace("$TOKEN", primaryToken).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An input may rotate the primary's token; later inputs' {@code $TOKEN} then stands for the new one. */
    private void followRotation(List<String> tokens) {
        if (accounts.authenticate(primaryToken) != null) {
            return;
        }
        primaryToken = tokens.stream()
                .filter(token -> new DeviceId(PRIMARY_USER, PRIMARY_DEVICE).equals(accounts.authenticate(token)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the primary's token changed with no token in an answer"));
    }

    /**
     * Between the aggregator and {@link HttpHandler}: counts what the handler writes while it reads each request, and
     * checks each answer's form.
     */
    private static final class Exchanges extends ChannelDuplexHandler {
        final List<String> tokens = new ArrayList<>();
        private final WebSocketSide webSocket;
        private int answers;

        Exchanges(WebSocketSide webSocket) {
            this.webSocket = webSocket;
        }

        /**
         * Reentrant: the embedded channel fires channelInactive within the close that an answer with {@code
         * Connection: close} asks for, and the codec then decodes the requests still buffered, nested in this read.
         */
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            assertThat(msg).isInstanceOf(FullHttpRequest.class);
            FullHttpRequest request = (FullHttpRequest) msg;
            String uri = request.uri();
            int outerAnswers = answers;
            boolean outerPassedOn = webSocket.passedOn;
            answers = 0;
            webSocket.passedOn = false;
            ctx.fireChannelRead(request);
            if (webSocket.passedOn) {
                assertThat(answers).as("answers to a request passed on").isZero();
                assertThat(new QueryStringDecoder(uri).path()).isEqualTo(HttpHandler.WEBSOCKET_PATH);
            } else {
                assertThat(answers).as("answers to " + uri).isEqualTo(1);
            }
            answers = outerAnswers;
            webSocket.passedOn = outerPassedOn;
        }

        /**
         * What the codec and the aggregator raise (a request cut off by the client's close, an answer of theirs written
         * to a closed channel) is theirs, not HttpHandler's, whose own exceptions never pass here: {@link
         * SessionHandler} at the end of the server's pipeline closes the connection on it, and so does this.
         */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response) {
                answers++;
                check(response);
            }
            ctx.write(msg, promise);
        }

        private void check(HttpResponse response) {
            assertThat(response.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
            int status = response.status().code();
            assertThat(status).isBetween(200, 599);
            String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (!(response instanceof FullHttpResponse full)) {
                // Only the dashboard's event stream answers with a head and then chunks.
                assertThat(type).startsWith("text/event-stream");
                return;
            }
            int length = full.content().readableBytes();
            assertThat(full.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(length);
            if (status == HttpResponseStatus.NO_CONTENT.code()) {
                assertThat(length).isZero();
            } else if (HttpHeaderValues.APPLICATION_JSON.contentEqualsIgnoreCase(type)) {
                JsonNode body = json(full);
                if (status >= 400) { // protocol.md's HTTP error: {"error":"<code>","message":"..."}
                    assertThat(body.path("error").isTextual())
                            .as(body.toString())
                            .isTrue();
                    assertThat(body.path("message").isTextual())
                            .as(body.toString())
                            .isTrue();
                } else if (body.has("token")) {
                    tokens.add(body.path("token").asText());
                }
            } else {
                assertThat(status).as("a non-JSON answer is a page or metrics").isEqualTo(200);
            }
        }

        private static JsonNode json(FullHttpResponse response) {
            try {
                return JSON.readTree(response.content().toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new AssertionError("response body is not JSON", e);
            }
        }
    }

    /** Stands for the WebSocket handshake behind {@link HttpHandler}: takes what is passed on and releases it. */
    private static final class WebSocketSide extends ChannelInboundHandlerAdapter {
        /** Whether the request being read was passed on; the embedded channel runs it all on the fuzzing thread. */
        boolean passedOn;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            passedOn = true;
            ((FullHttpRequest) msg).release();
        }
    }

    /**
     * Unpooled buffers, each remembered, so that one left unreleased after an input is a finding at once rather than
     * a leak report from a later garbage collection. The paranoid leak detector still wraps each (as the parent does).
     */
    private static final class TrackingAllocator extends AbstractByteBufAllocator {
        private final List<ByteBuf> allocated = new ArrayList<>();

        TrackingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return remember(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return remember(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity));
        }

        @Override
        public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
            return remember(super.compositeHeapBuffer(maxNumComponents));
        }

        @Override
        public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
            return remember(super.compositeDirectBuffer(maxNumComponents));
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        List<ByteBuf> unreleased() {
            return allocated.stream().filter(buffer -> buffer.refCnt() != 0).toList();
        }

        private <B extends ByteBuf> B remember(B buffer) {
            allocated.add(buffer);
            return buffer;
        }
    }
}
