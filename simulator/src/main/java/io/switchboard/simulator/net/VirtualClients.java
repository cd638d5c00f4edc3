package io.switchboard.simulator.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.WireCodec;
import java.net.SocketAddress;
import java.net.URI;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.agrona.collections.IntArrayList;

/**
 * A dense population of virtual devices (devices {@code 1..devicesPerUser} of users {@code 1..users}, numbered by
 * {@link DeviceSlots}) on one client event loop. The only per-device state here is one element of an array: the
 * device's channel while it is connected. Everything a connection needs beyond what Netty itself keeps per channel —
 * codec, frames, scratch buffers — is shared, since every connection runs on the same thread. A device connects with
 * the same client pipeline whatever the channel: HTTP upgrade to WebSocket with sb.json.v1, then {@code hello} with
 * its user, device and token.
 *
 * <p>Not thread-safe: call it on {@link #loop()} only.
 */
public final class VirtualClients implements DeviceConnections {
    /** What the population hears, on the client loop. {@code slot} is the device's {@link DeviceSlots} slot. */
    public interface Listener {
        void onFrame(int slot, Frame frame);

        void onClosed(int slot);

        void onError(int slot, Throwable cause);
    }

    /** A device's token for {@code hello}: the server registers and verifies a token per (user, device). */
    @FunctionalInterface
    public interface Tokens {
        String token(long user, int device);
    }

    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final SocketAddress server;
    /** The devices that reach the server another way ({@link #route}), and that way; null for none. */
    private IntPredicate routed;

    private SocketAddress routedTo;
    private final IntFunction<SocketAddress> localAddress;
    private final WebSocketClientProtocolConfig webSocket;
    private final DeviceSlots slots;
    private final Tokens tokens;
    private final Listener listener;
    private final Channel[] channels;
    private final ClientCodec codec;
    private final Frame out = new Frame();
    private final IntArrayList written = new IntArrayList();
    private final boolean[] flushQueued;
    private int connections;
    private final ReceiptAcks receipts = new ReceiptAcks();
    private long bytesRead;

    /**
     * @param channelType the client channel class, compatible with {@code loop} (a socket channel, or {@code
     *     LocalChannel} on the server's in-process loop)
     * @param server where to connect
     * @param localAddress each new connection's own address by a serial number, or null to let the transport pick
     * @param uri the WebSocket URI the handshake names (its path must be the server's)
     * @param tokens the token of each device
     * @param wire the encoding the devices speak
     */
    public VirtualClients(
            int users,
            DeviceSlots slots,
            EventLoop loop,
            Class<? extends Channel> channelType,
            SocketAddress server,
            IntFunction<SocketAddress> localAddress,
            URI uri,
            Tokens tokens,
            Listener listener,
            WireCodec wire) {
        this.loop = loop;
        this.codec = new ClientCodec(wire);
        this.channelType = channelType;
        this.server = server;
        this.localAddress = localAddress;
        this.slots = slots;
        this.tokens = tokens;
        this.listener = listener;
        this.channels = new Channel[slots.count(users)];
        this.flushQueued = new boolean[channels.length];
        this.webSocket = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(wire.subprotocol())
                .maxFramePayloadLength(MAX_FRAME_BYTES)
                // Text frames need valid UTF-8; a binary client would only pass each frame through one more handler.
                .withUTF8Validator(wire != WireCodec.BINARY)
                .build();
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void acknowledgeReceipts() {
        receipts.enable(channels.length);
    }

    @Override
    public long receiptsSentAgain() {
        return receipts.sentAgain();
    }

    @Override
    public long bytesWritten() {
        return codec.payloadBytes();
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    /** The user id of index {@code index}: user ids start at 1. */
    public static long userOf(long index) {
        return index + 1;
    }

    /**
     * From now on, the devices {@code routed} picks connect to {@code to} instead of the server's address: such as a
     * lane of the simulator's network where they read slowly.
     */
    public void route(IntPredicate routed, SocketAddress to) {
        this.routed = routed;
        this.routedTo = to;
    }

    /** Opens the device's connection; it says hello once the WebSocket handshake completes. */
    @Override
    public void connect(int slot) {
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channel(channelType)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline()
                                .addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(new WebSocketClientProtocolHandler(webSocket))
                                .addLast(new Device(slot));
                    }
                })
                .connect(
                        routed != null && routed.test(slot) ? routedTo : server,
                        localAddress == null ? null : localAddress.apply(++connections));
        connect.addListener(done -> {
            if (!done.isSuccess()) {
                listener.onError(slot, done.cause());
            }
        });
    }

    /** True from the completed handshake until the connection closes. */
    @Override
    public boolean connected(int slot) {
        return channels[slot] != null;
    }

    @Override
    public void write(int slot, Frame frame) {
        Channel channel = channels[slot];
        channel.write(codec.encode(frame, channel.alloc()), channel.voidPromise());
        if (!flushQueued[slot]) {
            flushQueued[slot] = true;
            written.addInt(slot);
        }
    }

    @Override
    public void flushWritten() {
        for (int i = 0, n = written.size(); i < n; i++) {
            int slot = written.getInt(i);
            flushQueued[slot] = false;
            Channel channel = channels[slot];
            if (channel != null) {
                channel.flush();
            }
        }
        written.clear();
    }

    /** While the server does not read the socket fast enough that its unsent bytes stay under the high mark. */
    @Override
    public boolean pushedBack(int slot) {
        Channel channel = channels[slot];
        return channel != null && !channel.isWritable();
    }

    @Override
    public Frame outFrame() {
        return out;
    }

    /** A WebSocket close after everything written; the server answers the close and closes the connection. */
    @Override
    public void close(int slot) {
        Channel channel = channels[slot];
        if (channel != null) {
            receipts.closeSent(slot);
            channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "session ends"));
        }
    }

    @Override
    public void closeAll() {
        for (Channel channel : channels) {
            if (channel != null) {
                channel.close();
            }
        }
    }

    /** The per-connection handler Netty needs: which device this channel is, nothing else. */
    private final class Device extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final int slot;

        Device(int slot) {
            this.slot = slot;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                channels[slot] = ctx.channel();
                receipts.sessionStarted(slot);
                long id = slots.userId(slots.user(slot));
                int device = slots.device(slot);
                write(
                        slot,
                        out.reset(FrameType.HELLO)
                                .user(id)
                                .device(device)
                                .token(tokens.token(id, device))
                                .receiptAcks(receipts.enabled()));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame message) {
            bytesRead += message.content().readableBytes();
            Frame frame = codec.decode(message);
            if (receipts.take(slot, frame)) {
                listener.onFrame(slot, frame);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            long rseq = receipts.acknowledge(slot);
            if (rseq != 0) {
                write(slot, out.reset(FrameType.RECEIPT_ACK).rseq(rseq));
            }
            flushWritten();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (channels[slot] == ctx.channel()) {
                channels[slot] = null;
            }
            listener.onClosed(slot);
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            listener.onError(slot, cause);
            ctx.close();
        }
    }
}
