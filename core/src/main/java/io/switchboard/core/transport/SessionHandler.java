package io.switchboard.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.limits.ConnectionLimits;
import io.switchboard.core.limits.LimitKind;
import io.switchboard.core.limits.TokenBucket;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LatencyRecorder;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.owner.SendRefusal;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameAddress;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ProtocolException;
import io.switchboard.core.protocol.WireCodec;
import io.switchboard.core.router.Router;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.collections.LongHashSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection speaking sb.json.v1 in text frames or, when its handshake chose that subprotocol,
 * sb.bin.v1 in binary frames: authenticates the first frame ({@code hello}), then hands each
 * command to the router and writes what comes back. Runs on the connection's I/O loop; {@link #write} may be called
 * from any thread.
 *
 * <p>Rate limits ({@link ConnectionLimits}) are checked here, after decoding: a frame over one is answered {@code
 * rate-limited} and never reaches the router.
 *
 * <p>Back-pressure: when the router cannot take a command (a full ring) the command is kept, reading stops, and it is
 * retried shortly; reading also stops while the channel is unwritable (the client is not reading what we send). So
 * neither a flood from a client nor a client that does not read grows the server's memory without bound, and no
 * command is dropped. With locked routing, a send that comes while an I/O loop is behind on its writes ({@link
 * ServerResources#loopsBehind}) is refused with {@code unavailable} instead (docs/architecture.md, Back-pressure).
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {
    static final int CLOSE_PROTOCOL = WebSocketCloseStatus.PROTOCOL_ERROR.code();
    static final int CLOSE_POLICY = WebSocketCloseStatus.POLICY_VIOLATION.code();
    static final int CLOSE_TOO_BIG = WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
    private static final Logger LOG = LoggerFactory.getLogger(SessionHandler.class);
    private static final long RETRY_DELAY_MICROS = 200;
    private static final Object OPEN = new Object();
    private static final Object CLOSE = new Object();
    private static final List<Class<? extends ChannelHandler>> HTTP_ONLY =
            List.of(MediaHandler.class, RequestBodyAggregator.class, HttpHandler.class);

    /** A presence subscription of a closed connection, still to be cancelled at its target's owner. */
    private record Unsubscribe(long user) {}

    private enum State {
        AWAITING_HELLO,
        OPEN,
        CLOSED
    }

    private final ServerResources resources;
    private final Router router;
    private final int maxOutboundBytes;
    private final int maxSubscriptions;
    private final long helloTimeoutMs;
    private ConnectionLimits limits;
    /**
     * Set while the frame being handled has passed its rate limits and waits for the router: its retry must not pay
     * again. Only the head of {@link #pending} is ever tried, so one flag covers it.
     */
    private boolean admitted;
    /** The users whose presence this connection follows, so that closing it cancels them. */
    private LongHashSet subscriptions;

    private LoopResources loop;
    private CounterSet<LoopCounter> counters;
    private Channel channel;
    private ChannelHandlerContext ctx;
    private State state = State.AWAITING_HELLO;
    /**
     * The encoding the handshake chose. Set on the loop before the first frame, so before hello registers the session
     * for other threads to find (registration publishes it); never changes after.
     */
    private WireCodec codec = WireCodec.JSON;
    /** Set once the connection is being closed by us: nothing more it sends is acted on. */
    private boolean closing;
    /** Set once {@link #write}, on any thread, closes the connection as a slow consumer. */
    private final AtomicBoolean slowConsumerClosing = new AtomicBoolean();

    private long connection;
    private long user;
    private int device;
    /** Whether this session's hello asked for acknowledged receipts. */
    private boolean receiptAcks;

    private ArrayDeque<Object> pending;
    private boolean retryScheduled;
    boolean flushQueued;

    SessionHandler(ServerResources resources) {
        this.resources = resources;
        this.router = resources.router();
        this.maxOutboundBytes = resources.context().transport().maxOutboundBytes();
        this.maxSubscriptions = resources.context().router().maxSubscriptions();
        this.helloTimeoutMs = resources.context().transport().helloTimeoutMs();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.channel = ctx.channel();
        this.loop = resources.loop(ctx.channel().eventLoop());
        this.counters = loop.counters();
        this.connection = resources.nextConnection(loop.index());
        this.limits = new ConnectionLimits(resources.context().limits(), System.nanoTime());
        counters.increment(LoopCounter.CONNECTIONS_OPENED);
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    long connection() {
        return connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closing) {
                return;
            }
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                WebSocketFrame frame = (WebSocketFrame) msg;
                if ((frame instanceof BinaryWebSocketFrame) != (codec == WireCodec.BINARY)) {
                    counters.increment(LoopCounter.BAD_FRAMES);
                    closeWith(ErrorCode.BAD_FRAME, codec.subprotocol() + " takes only " + frameKind(), CLOSE_PROTOCOL);
                    return;
                }
                counters.increment(LoopCounter.FRAMES_RECEIVED);
                if (pending != null && !pending.isEmpty()) {
                    pending.add(frame.retain());
                } else if (!handle(frame.content())) {
                    hold(frame.retain());
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Decodes and acts on one frame; false when the router pushed back and the frame must be retried. */
    private boolean handle(ByteBuf content) {
        long decodedNs = System.nanoTime();
        Frame frame = loop.frame();
        try {
            loop.decode(content, frame, codec);
        } catch (ProtocolException e) {
            boolean auth = e.code() == ErrorCode.AUTH;
            counters.increment(auth ? LoopCounter.AUTH_FAILURES : LoopCounter.BAD_FRAMES);
            closeWith(e.code(), e.getMessage(), auth ? CLOSE_POLICY : CLOSE_PROTOCOL);
            return true;
        }
        if (state == State.AWAITING_HELLO) {
            hello(frame);
            return true;
        }
        if (!admitted) {
            long waitNs = limits.check(frame, decodedNs);
            if (waitNs != 0) {
                refuse(frame, limits.refused(), limits.refusal(), waitNs);
                return true;
            }
        }
        boolean done = dispatch(frame, decodedNs);
        admitted = !done;
        return done;
    }

    private boolean dispatch(Frame frame, long decodedNs) {
        if (frame.type() == FrameType.SEND && resources.loopsBehind()) {
            refuseBehind(frame.id());
            return true;
        }
        if (FrameAddress.isControl(frame)) {
            return control(frame, decodedNs);
        }
        return switch (frame.type()) {
            case SEND -> send(frame, decodedNs);
            case RECV -> router.recv(user, device, frame.seq());
            case RECEIPT_ACK -> router.receiptAck(user, device, frame.rseq());
            case READ -> router.read(user, device, frame);
            case PING -> {
                loop.writer().write(this, frame.reset(FrameType.PONG).ts(System.currentTimeMillis()), true);
                yield true;
            }
            case HELLO -> {
                closeWith(ErrorCode.BAD_FRAME, "this session already said hello", CLOSE_PROTOCOL);
                yield true;
            }
            default -> {
                closeWith(
                        ErrorCode.BAD_FRAME,
                        "'" + frame.type().wireName() + "' is sent by servers, not clients",
                        CLOSE_PROTOCOL);
                yield true;
            }
        };
    }

    /**
     * Answers a frame over a rate limit with {@code rate-limited}, carrying its {@code id} or {@code req} and when to
     * try again; nothing of it reaches the router. A group request also gets its {@code result}, as every refused group
     * request does (docs/protocol-notes.md).
     */
    private void refuse(Frame frame, LimitKind limit, String refusal, long waitNs) {
        counters.increment(LoopCounter.refused(limit));
        long id = frame.type() == FrameType.SEND ? frame.id() : 0;
        boolean request = frame.hasReq();
        long req = frame.req();
        Frame error = FrameOutbound.error(loop.frame(), ErrorCode.RATE_LIMITED, id, refusal, 0, 0)
                .retryAfterMs(TokenBucket.retryAfterMs(waitNs));
        if (request) {
            error.req(req);
        }
        loop.writer().write(this, error, !request);
        if (request) {
            Frame result = loop.frame()
                    .reset(FrameType.RESULT)
                    .req(req)
                    .ok(false)
                    .code(ErrorCode.RATE_LIMITED)
                    .message(refusal);
            loop.writer().write(this, result, true);
        }
    }

    /**
     * Answers a send (one-to-one or group) {@code unavailable}: an I/O loop is behind on what it has to write, and the
     * send's ack and message would only wait behind that. Nothing of it reaches the router. Queued behind this
     * connection's acks, as locked routing writes them: written at once, an in-process client on this same loop would
     * read it, send again and be read again, all inside this call (the stack overflowed at twice the capacity).
     */
    private void refuseBehind(long id) {
        counters.increment(LoopCounter.SENDS_REFUSED_BEHIND);
        Frame error = FrameOutbound.error(loop.frame(), ErrorCode.UNAVAILABLE, id, SendRefusal.BEHIND, 0, 0)
                .retryAfterMs(SendRefusal.BEHIND_RETRY_AFTER_MS);
        loop.writer().writeQueued(this, error);
    }

    private boolean send(Frame frame, long decodedNs) {
        if (!router.send(user, device, connection, frame, decodedNs)) {
            return false;
        }
        LatencyRecorder latency = loop.commandLatency();
        if (latency != null) {
            latency.recordNanos(System.nanoTime() - decodedNs);
        }
        return true;
    }

    /** Group, presence and typing frames; presence subscriptions are counted here, per connection, and bounded. */
    private boolean control(Frame frame, long decodedNs) {
        FrameType type = frame.type();
        if (type == FrameType.SUB && !subscribed(frame.user())) {
            if (subscriptions != null && subscriptions.size() >= maxSubscriptions) {
                String message = "at most " + maxSubscriptions + " presence subscriptions per connection";
                Frame error = FrameOutbound.error(loop.frame(), ErrorCode.RATE_LIMITED, 0, message, 0, 0);
                loop.writer().write(this, error, true);
                return true;
            }
            if (subscriptions == null) {
                subscriptions = new LongHashSet();
            }
            subscriptions.add(frame.user());
        } else if (type == FrameType.UNSUB && subscriptions != null) {
            subscriptions.remove(frame.user());
        }
        if (!router.control(user, device, connection, frame, loop.decodedBinary(frame, codec), decodedNs)) {
            return false;
        }
        LatencyRecorder latency = loop.commandLatency();
        if (latency != null) {
            latency.recordNanos(System.nanoTime() - decodedNs);
        }
        return true;
    }

    private boolean subscribed(long target) {
        return subscriptions != null && subscriptions.contains(target);
    }

    private void hello(Frame frame) {
        if (frame.type() != FrameType.HELLO) {
            counters.increment(LoopCounter.AUTH_FAILURES);
            closeWith(ErrorCode.AUTH, "the first frame must be hello", CLOSE_POLICY);
            return;
        }
        if (!loop.openSession(resources.accounts(), frame, connection)) {
            counters.increment(LoopCounter.AUTH_FAILURES);
            closeWith(ErrorCode.AUTH, "unknown device or wrong token", CLOSE_POLICY);
            return;
        }
        user = frame.user();
        device = frame.device();
        limits.user(resources.accounts().userLimits(user, System.nanoTime()));
        receiptAcks = frame.receiptAcks();
        state = State.OPEN;
        counters.increment(LoopCounter.SESSIONS_ONLINE);
        resources.register(this);
        // The owner of the user's state answers welcome: once a client has it, the device is online everywhere.
        if (!router.open(user, device, connection, receiptAcks)) {
            hold(OPEN);
        }
    }

    /** Keeps a command the router could not take, stops reading, and schedules a retry. */
    private void hold(Object command) {
        counters.increment(LoopCounter.INBOX_REFUSALS);
        if (pending == null) {
            pending = new ArrayDeque<>();
        }
        pending.add(command);
        updateAutoRead();
        scheduleRetry();
    }

    private void scheduleRetry() {
        if (!retryScheduled) {
            retryScheduled = true;
            ctx.executor().schedule(this::retryPending, RETRY_DELAY_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    private void retryPending() {
        retryScheduled = false;
        while (!pending.isEmpty()) {
            Object next = pending.peek();
            boolean done;
            if (next instanceof Unsubscribe unsubscribe) {
                done = router.unsubscribe(unsubscribe.user(), connection);
            } else if (next == OPEN) {
                done = router.open(user, device, connection, receiptAcks);
            } else if (next == CLOSE) {
                done = router.close(user, device, connection);
            } else {
                done = closing || handle(((WebSocketFrame) next).content());
            }
            if (!done) {
                scheduleRetry();
                return;
            }
            ReferenceCountUtil.release(pending.poll());
        }
        updateAutoRead();
    }

    private void updateAutoRead() {
        boolean read = !closing && (pending == null || pending.isEmpty()) && channel.isWritable();
        if (channel.config().isAutoRead() != read) {
            channel.config().setAutoRead(read);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            codec = WireCodec.ofSubprotocol(handshake.selectedSubprotocol());
            leaveOnlyWebSocket(ctx.pipeline());
            ctx.executor().schedule(this::helloDeadline, helloTimeoutMs, TimeUnit.MILLISECONDS);
            ctx.fireUserEventTriggered(event);
        } else if (event instanceof IdleStateEvent) {
            LOG.debug("closing {}: idle", channel);
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "idle"))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    /**
     * Takes out the handlers that only an HTTP connection needs: after the upgrade they would pass every frame on, one
     * more step each way. A binary connection refuses text frames ({@link #channelRead}), so it needs no UTF-8
     * validation either.
     */
    private void leaveOnlyWebSocket(ChannelPipeline pipeline) {
        for (Class<? extends ChannelHandler> http : HTTP_ONLY) {
            if (pipeline.get(http) != null) {
                pipeline.remove(http);
            }
        }
        if (codec == WireCodec.BINARY && pipeline.get(Utf8FrameValidator.class) != null) {
            pipeline.remove(Utf8FrameValidator.class);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupted) {
            int status = corrupted.closeStatus().code();
            ErrorCode code = status == CLOSE_TOO_BIG ? ErrorCode.TOO_LARGE : ErrorCode.BAD_FRAME;
            counters.increment(code == ErrorCode.TOO_LARGE ? LoopCounter.OVERSIZE_FRAMES : LoopCounter.BAD_FRAMES);
            closeWith(code, corrupted.getMessage(), status);
        } else if (cause instanceof TooLongFrameException) {
            counters.increment(LoopCounter.OVERSIZE_FRAMES);
            closeWith(ErrorCode.TOO_LARGE, cause.getMessage(), CLOSE_TOO_BIG);
        } else {
            LOG.debug("closing {} after an error", channel, cause);
            ctx.close();
        }
    }

    /** The hello deadline passed: a connection still without a session holds buffers for nobody, so it goes. */
    private void helloDeadline() {
        if (state == State.AWAITING_HELLO && !closing) {
            counters.increment(LoopCounter.AUTH_FAILURES);
            closeWith(ErrorCode.AUTH, "no hello within " + helloTimeoutMs + " ms", CLOSE_POLICY);
        }
    }

    /** The token this session opened with was rotated: a session lasts no longer than the token that opened it. */
    void tokenRotated() {
        if (state == State.OPEN && !closing) {
            closeWith(
                    ErrorCode.AUTH,
                    "the token this session opened with was rotated: say hello with the new one",
                    CLOSE_POLICY);
        }
    }

    /** The device's one-time keys run low (docs/protocol-notes.md, {@code keys.low}): its client uploads more. */
    void keysLow(int preKeys, int kyberPreKeys) {
        if (state == State.OPEN && !closing) {
            Frame frame =
                    loop.frame().reset(FrameType.KEYS_LOW).preKeys(preKeys).kyberPreKeys(kyberPreKeys);
            // Counted before the write: the flush may reach the client before a count made after it.
            counters.increment(LoopCounter.KEYS_LOW_SENT);
            loop.writer().write(this, frame, true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        boolean opened = state == State.OPEN;
        state = State.CLOSED;
        closing = true;
        counters.increment(LoopCounter.CONNECTIONS_CLOSED);
        if (opened) {
            counters.decrement(LoopCounter.SESSIONS_ONLINE);
            resources.unregister(this);
            resources.accounts().sessionClosed(user, device, connection);
        }
        boolean openPending = false;
        if (pending != null) {
            // Commands never handed over were never acknowledged either: the client resends them.
            for (Object command; (command = pending.poll()) != null; ) {
                openPending |= command == OPEN;
                ReferenceCountUtil.release(command);
            }
        }
        if (opened && !openPending && !router.close(user, device, connection)) {
            hold(CLOSE);
        }
        if (subscriptions != null) {
            for (LongHashSet.LongIterator it = subscriptions.iterator(); it.hasNext(); ) {
                long target = it.nextValue();
                if (!router.unsubscribe(target, connection)) {
                    hold(new Unsubscribe(target));
                }
            }
        }
        ctx.fireChannelInactive();
    }

    /**
     * Writes one encoded frame, {@code framed} behind its WebSocket header ({@link DataFrameHeader}). Thread-safe. A
     * connection with more unsent bytes than the outbound limit is a slow consumer and is closed: its unacknowledged
     * messages stay queued for its next session.
     */
    void write(ByteBuf framed, boolean flush) {
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        if (unsent == null || !channel.isActive()) {
            framed.release();
            return;
        }
        if (unsent.totalPendingWriteBytes() > maxOutboundBytes) {
            framed.release();
            // A close asked for during a flush happens after it, and frames keep coming meanwhile: count it once.
            if (slowConsumerClosing.compareAndSet(false, true)) {
                LOG.debug("closing {}: slow consumer, {} bytes unsent", channel, unsent.totalPendingWriteBytes());
                counters.incrementAtomic(LoopCounter.SLOW_CONSUMER_CLOSES);
                channel.close();
            }
            return;
        }
        counters.incrementAtomic(LoopCounter.FRAMES_SENT);
        if (flush) {
            channel.writeAndFlush(framed, channel.voidPromise());
        } else {
            channel.write(framed, channel.voidPromise());
        }
    }

    /**
     * Writes and flushes one frame behind every write already queued to the channel from other threads. Locked
     * routing writes to a channel from any I/O thread; a write from the channel's own loop would otherwise jump ahead
     * of writes other threads queued earlier, under the same lock, and reorder a sender's messages.
     */
    void writeQueued(ByteBuf framed) {
        if (channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> write(framed, true));
        } else {
            write(framed, true);
        }
    }

    /** The encoding this connection speaks; the writers encode its frames in it. */
    WireCodec codec() {
        return codec;
    }

    private String frameKind() {
        return codec == WireCodec.BINARY ? "binary frames" : "text frames";
    }

    void flush() {
        channel.flush();
    }

    /** Sends an error frame, then a close frame with {@code closeStatus}, then closes. Thread-safe. */
    void closeWith(ErrorCode code, String message, int closeStatus) {
        if (!channel.eventLoop().inEventLoop()) {
            channel.eventLoop().execute(() -> closeWith(code, message, closeStatus));
            return;
        }
        if (!channel.isActive() || closing) {
            return;
        }
        Frame frame = FrameOutbound.error(loop.frame(), code, 0, message, 0, 0);
        loop.writer().write(this, frame, false);
        channel.writeAndFlush(new CloseWebSocketFrame(closeStatus, code.wireName()))
                .addListener(ChannelFutureListener.CLOSE);
        closing = true;
        updateAutoRead();
    }

    io.netty.channel.EventLoop eventLoop() {
        return channel.eventLoop();
    }
}
