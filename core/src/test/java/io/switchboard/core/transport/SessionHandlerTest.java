package io.switchboard.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.config.RouterContext;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.owner.HeldVisitor;
import io.switchboard.core.protocol.BinaryFrameDecoder;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.JsonFrameEncoder;
import io.switchboard.core.router.Router;
import io.switchboard.core.testing.TestClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection handler on an {@link EmbeddedChannel}, with a router that records what reaches it. */
class SessionHandlerTest {
    @TempDir
    Path data;

    private AccountStore accounts;
    private RecordingRouter router;
    private EmbeddedChannel channel;
    private String token;

    @BeforeEach
    void setUp() {
        accounts = AccountStore.open(data);
        token = accounts.register(42, 1, null).token();
        start(Settings.empty());
    }

    /** A new channel and handler with {@code settings}, replacing the one before. */
    private void start(Settings settings) {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        router = new RecordingRouter();
        channel = new EmbeddedChannel();
        ServerContext context = ServerContext.conclude(settings.with("server.data", data, "test"));
        LoopResources loop = new LoopResources(
                0, channel.eventLoop(), new ServerMetrics(false, "test"), false, context.limits(), 4096);
        ServerResources resources = new ServerResources(context, accounts, List.of(loop));
        resources.router(router);
        channel.pipeline().addLast(new SessionHandler(resources));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        accounts.close();
    }

    private void receive(String json) {
        channel.writeInbound(new TextWebSocketFrame(json));
    }

    /** The next frame written, read back through Netty's frame decoder as a client reads it. */
    private Frame sent() {
        Object out = channel.readOutbound();
        assertThat(out).as("an outbound frame behind its header").isInstanceOf(ByteBuf.class);
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 65536));
        client.writeInbound(out);
        Object frame = client.readInbound();
        assertThat(frame).as("one whole text frame").isInstanceOf(TextWebSocketFrame.class);
        try {
            return TestClient.decode(((TextWebSocketFrame) frame).text());
        } finally {
            ReferenceCountUtil.release(frame);
            client.finishAndReleaseAll();
        }
    }

    private int closeStatus() {
        Object out = channel.readOutbound();
        assertThat(out).as("a close frame").isInstanceOf(CloseWebSocketFrame.class);
        try {
            return ((CloseWebSocketFrame) out).statusCode();
        } finally {
            ReferenceCountUtil.release(out);
        }
    }

    private void hello() {
        receive("{\"t\":\"hello\",\"user\":42,\"device\":1,\"token\":\"" + token + "\"}");
        // The owner of the user's state answers welcome, once the router took the open.
        assertThat(router.calls).last().isEqualTo("open 42/1");
    }

    private static String send(long id) {
        return "{\"t\":\"send\",\"id\":" + id + ",\"to\":{\"user\":99},\"env\":[{\"device\":1,\"type\":\"msg\","
                + "\"body\":\"aGk=\"}]}";
    }

    @Test
    void shouldRefuseAFrameBeforeHelloAndClose() {
        receive(send(1));
        Frame error = sent();
        assertThat(error.code()).isEqualTo(ErrorCode.AUTH);
        assertThat(closeStatus()).isEqualTo(1008);
        assertThat(router.calls).isEmpty();
    }

    @Test
    void shouldRefuseAWrongTokenAndClose() {
        receive("{\"t\":\"hello\",\"user\":42,\"device\":1,\"token\":\"wrong\"}");
        assertThat(sent().code()).isEqualTo(ErrorCode.AUTH);
        assertThat(closeStatus()).isEqualTo(1008);
    }

    @Test
    void shouldWelcomeAndOpenTheSessionThenPassCommandsOn() {
        hello();
        receive(send(7));
        receive("{\"t\":\"recv\",\"seq\":3}");
        receive("{\"t\":\"read\",\"from\":{\"user\":99,\"device\":1},\"ids\":[5,6]}");
        assertThat(router.calls).containsExactly("open 42/1", "send 7 to 99", "recv 3", "read 2 from 99/1");
    }

    @Test
    void shouldAnswerPingWithPong() {
        hello();
        receive("{\"t\":\"ping\"}");
        assertThat(sent().type()).isEqualTo(FrameType.PONG);
    }

    @Test
    void shouldHoldCommandsWhileTheRouterPushesBackAndRetryThemInOrder() throws InterruptedException {
        hello();
        router.refusals = 3;
        receive(send(1));
        receive(send(2));
        receive(send(3));
        assertThat(channel.config().isAutoRead()).as("reading paused").isFalse();
        assertThat(router.calls).containsExactly("open 42/1");
        for (int attempt = 0; attempt < 100 && router.calls.size() < 4; attempt++) {
            Thread.sleep(1);
            channel.runScheduledPendingTasks();
        }
        assertThat(router.calls).containsExactly("open 42/1", "send 1 to 99", "send 2 to 99", "send 3 to 99");
        assertThat(channel.config().isAutoRead()).as("reading resumed").isTrue();
    }

    @Test
    void shouldChargeACommandHeldForAFullRingOnceAndRefuseTheFirstOverTheLimit() throws InterruptedException {
        start(Settings.empty().with("limits.sends.perSecond", 1, "test").with("limits.sends.burst", 2, "test"));
        hello();
        router.refusals = 5;
        receive(send(1));
        for (int attempt = 0; attempt < 100 && router.calls.size() < 2; attempt++) {
            Thread.sleep(1);
            channel.runScheduledPendingTasks();
        }
        receive(send(2));
        receive(send(3));
        assertThat(router.calls).containsExactly("open 42/1", "send 1 to 99", "send 2 to 99");
        Frame refusal = sent();
        assertThat(refusal.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(refusal.id()).isEqualTo(3);
        assertThat(refusal.retryAfterMs()).isBetween(1L, 1000L);
        assertThat(channel.isActive()).as("a refusal closes nothing").isTrue();
    }

    @Test
    void shouldCloseWithBadFrameOnMalformedJsonAndOnServerFrames() {
        hello();
        receive("{\"t\":\"ack\",\"id\":1,\"ts\":2}");
        Frame error = sent();
        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(error.message().toString()).contains("ack");
        assertThat(closeStatus()).isEqualTo(1002);
    }

    @Test
    void shouldAnswerTooLargeWith1009() {
        hello();
        channel.pipeline()
                .fireExceptionCaught(
                        new CorruptedWebSocketFrameException(WebSocketCloseStatus.MESSAGE_TOO_BIG, "too big"));
        assertThat(sent().code()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(closeStatus()).isEqualTo(1009);
    }

    @Test
    void shouldHandGroupPresenceAndTypingFramesToTheRouterInBinary() {
        hello();
        String sub = "{\"t\":\"sub\",\"user\":99}";
        receive(sub);
        String create = "{\"t\":\"group.create\",\"req\":1,\"group\":\"g1\",\"members\":[99]}";
        receive(create);
        assertThat(router.calls).endsWith("sub " + sub, "group.create " + create);
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void shouldRefuseSubscriptionsPastTheLimitAndCancelTheRestOnClose() {
        hello();
        int limit = RouterContext.MAX_SUBSCRIPTIONS_DEFAULT;
        for (int user = 1; user <= limit; user++) {
            receive("{\"t\":\"sub\",\"user\":" + user + "}");
        }
        receive("{\"t\":\"sub\",\"user\":1}");
        assertThat(channel.outboundMessages()).isEmpty();
        receive("{\"t\":\"sub\",\"user\":" + (limit + 1) + "}");
        assertThat(sent().code()).isEqualTo(ErrorCode.RATE_LIMITED);
        receive("{\"t\":\"unsub\",\"user\":1}");
        router.calls.clear();
        channel.close();
        assertThat(router.calls)
                .hasSize(limit)
                .contains("close 42/1", "unsub 2")
                .doesNotContain("unsub 1");
    }

    @Test
    void shouldCloseTheSessionInTheRouterWhenTheChannelCloses() {
        hello();
        channel.close();
        assertThat(router.calls).containsExactly("open 42/1", "close 42/1");
    }

    /** Records commands; refuses the next {@code refusals} sends as a full ring would. */
    private static final class RecordingRouter implements Router {
        final List<String> calls = new ArrayList<>();
        int refusals;

        @Override
        public void start() {}

        @Override
        public void visitHeld(Supplier<? extends HeldVisitor> visitors, long timeoutMs) {}

        @Override
        public boolean open(long user, int device, long connection, boolean receiptAcks) {
            return calls.add("open " + user + "/" + device + (receiptAcks ? " with receipt acks" : ""));
        }

        @Override
        public boolean close(long user, int device, long connection) {
            return calls.add("close " + user + "/" + device);
        }

        @Override
        public boolean send(long user, int device, long connection, Frame send, long decodedNs) {
            if (refusals > 0) {
                refusals--;
                return false;
            }
            return calls.add("send " + send.id() + " to " + send.toUser());
        }

        @Override
        public boolean recv(long user, int device, long seq) {
            return calls.add("recv " + seq);
        }

        @Override
        public boolean receiptAck(long user, int device, long rseq) {
            return calls.add("receipt.ack " + rseq);
        }

        @Override
        public boolean read(long user, int device, Frame read) {
            return calls.add("read " + read.ids().size() + " from " + read.fromUser() + "/" + read.fromDevice());
        }

        @Override
        public boolean control(
                long user, int device, long connection, Frame frame, DirectBuffer binary, long decodedNs) {
            // The binary the owner would decode, shown as JSON: it must be the very frame the client sent.
            Frame crossed = new Frame();
            new BinaryFrameDecoder().decode(binary, 0, binary.capacity(), crossed);
            return calls.add(frame.type().wireName() + " " + new JsonFrameEncoder().encodeToString(crossed));
        }

        @Override
        public boolean removeDevice(long user, int device) {
            return calls.add("remove " + user + "/" + device);
        }

        @Override
        public boolean unsubscribe(long user, long connection) {
            return calls.add("unsub " + user);
        }

        @Override
        public void close() {}
    }
}
