package io.switchboard.simulator.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.simulator.fault.ProxySockets;
import io.switchboard.simulator.net.ClientRoute;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A faulty server, made of a real one and this proxy in front of it on loopback: it passes the clients' bytes on as
 * they are, and decodes the server's WebSocket frames to do one kind of harm to every {@code every}-th frame of a
 * kind, counting each harm it did ({@link #injected}). One I/O thread, so its counters need no locks.
 */
final class FaultyProxy implements ClientRoute, AutoCloseable {
    enum Fault {
        /** Drops a {@code msg}: the recipient never sees it. */
        LOSE,
        /** Sends a {@code msg} twice on its session. */
        COPY,
        /** Follows an {@code ack} with a {@code delivered} receipt before anyone got the message. */
        EARLY_RECEIPT,
        /** Holds a {@code msg} back until the next one from the same sending device has passed. */
        REORDER
    }

    /** How long a held {@code msg} waits for a later one from its sender before it goes on unharmed. */
    private static final long HOLD_MS = 500;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Fault fault;
    private final int every;
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private long seen;
    private volatile long injected;
    private Channel listener;

    FaultyProxy(Fault fault, int every) {
        this.fault = fault;
        this.every = every;
    }

    /** Faults done so far. */
    long injected() {
        return injected;
    }

    @Override
    public InetSocketAddress connectTo(InetSocketAddress server) {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        listener = ProxySockets.listen(
                group,
                client -> client.pipeline().addLast(new WebSocket08FrameEncoder(false), new Relay(client, server)));
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The client's side: opens the server's side, then passes the client's bytes on untouched. */
    private final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel client;
        private final InetSocketAddress server;
        private Channel upstream;

        Relay(Channel client, InetSocketAddress server) {
            this.client = client;
            this.server = server;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ProxySockets.connect(
                            client,
                            server,
                            true,
                            channel -> channel.pipeline().addLast(new UpgradeResponse(client), new Harm(client)))
                    .addListener((ChannelFutureListener) connected -> {
                        if (connected.isSuccess()) {
                            upstream = connected.channel();
                            upstream.closeFuture().addListener(closed -> client.close());
                            client.config().setAutoRead(true);
                        } else {
                            client.close();
                        }
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            upstream.writeAndFlush(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (upstream != null) {
                upstream.close();
            }
        }
    }

    /**
     * Writes the HTTP upgrade response to the client as bytes, then hands what follows to a WebSocket frame decoder.
     * It writes the response itself: what it passed down the pipeline would reach the decoder that replaces it.
     */
    private static final class UpgradeResponse extends ByteToMessageDecoder {
        private static final int NOT_FOUND = -1;

        private final Channel client;

        UpgradeResponse(Channel client) {
            this.client = client;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int end = NOT_FOUND;
            for (int i = in.readerIndex(); i + 3 < in.writerIndex(); i++) {
                if (in.getInt(i) == 0x0D0A0D0A) {
                    end = i + 4;
                    break;
                }
            }
            if (end != NOT_FOUND) {
                client.writeAndFlush(in.readRetainedSlice(end - in.readerIndex()));
                WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                        .expectMaskedFrames(false)
                        .maxFramePayloadLength(1 << 24)
                        .build();
                ctx.pipeline().replace(this, "frames", new WebSocket08FrameDecoder(config));
            }
        }
    }

    /** The server's side: does the harm, then writes to the client. */
    private final class Harm extends ChannelInboundHandlerAdapter {
        private final Channel client;
        private TextWebSocketFrame held;
        private String heldFrom;
        private ScheduledFuture<?> release;

        Harm(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
            if (!(msg instanceof TextWebSocketFrame text)) {
                client.writeAndFlush(msg);
                return;
            }
            JsonNode frame = JSON.readTree(text.text());
            String type = frame.path("t").asText();
            switch (fault) {
                case LOSE -> {
                    if (type.equals("msg") && due()) {
                        injected++;
                        ReferenceCountUtil.release(text);
                        return;
                    }
                }
                case COPY -> {
                    if (type.equals("msg") && due()) {
                        injected++;
                        client.write(text.retainedDuplicate());
                    }
                }
                case EARLY_RECEIPT -> {
                    if (type.equals("ack") && due()) {
                        injected++;
                        client.write(text);
                        text = new TextWebSocketFrame("{\"t\":\"receipt\",\"id\":"
                                + frame.path("id").asLong() + ",\"to\":{\"user\":1},\"kind\":\"delivered\",\"ts\":0}");
                    }
                }
                case REORDER -> {
                    if (type.equals("msg")) {
                        reorder(ctx, text, frame.path("from").toString());
                        return;
                    }
                }
            }
            client.writeAndFlush(text, client.voidPromise());
        }

        private void reorder(ChannelHandlerContext ctx, TextWebSocketFrame text, String from) {
            if (held != null && heldFrom.equals(from)) {
                release.cancel(false);
                injected++;
                client.write(text);
                client.writeAndFlush(held);
                held = null;
            } else if (held == null && due()) {
                held = text;
                heldFrom = from;
                release = ctx.executor().schedule(this::releaseHeld, HOLD_MS, TimeUnit.MILLISECONDS);
            } else {
                client.writeAndFlush(text);
            }
        }

        private void releaseHeld() {
            if (held != null) {
                client.writeAndFlush(held);
                held = null;
            }
        }

        private boolean due() {
            return ++seen % every == 0;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (held != null) {
                held.release();
                held = null;
            }
            client.close();
        }
    }
}
