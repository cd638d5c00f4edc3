package io.switchboard.simulator.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.JsonFrameDecoder;
import io.switchboard.core.protocol.JsonFrameEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One virtual device on a real WebSocket: says hello, then hands every frame the server sends to its {@link
 * Listener}. A load generator runs all its connections on one client I/O thread, so its state needs no locks.
 * Decoding and encoding reuse per-connection buffers: the client must not be the bottleneck it measures.
 */
public final class WsConnection extends SimpleChannelInboundHandler<TextWebSocketFrame> {
    /** What a load generator hears from its connections, on the client I/O thread. */
    public interface Listener {
        void onFrame(WsConnection connection, Frame frame);

        void onClosed(WsConnection connection);

        void onError(WsConnection connection, Throwable cause);
    }

    private final Listener run;
    private final int index;
    private final long user;
    private final String token;
    private final Frame in = new Frame();
    private final Frame out = new Frame();
    private final JsonFrameDecoder decoder = new JsonFrameDecoder();
    private final JsonFrameEncoder encoder = new JsonFrameEncoder();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(512);
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private Channel channel;
    private boolean pendingFlush;

    public WsConnection(Listener run, int index, long user, String token) {
        this.run = run;
        this.index = index;
        this.user = user;
        this.token = token;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            channel = ctx.channel();
            write(out.reset(FrameType.HELLO).user(user).device(1).token(token));
            flush();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame message) {
        ByteBuf content = message.content();
        int length = content.readableBytes();
        byte[] bytes = scratch.byteArray();
        if (bytes.length < length) {
            scratch.checkLimit(length);
            bytes = scratch.byteArray();
        }
        content.getBytes(content.readerIndex(), bytes, 0, length);
        view.wrap(bytes, 0, length);
        decoder.decode(view, 0, length, in);
        run.onFrame(this, in);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        run.onClosed(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        run.onError(this, cause);
        ctx.close();
    }

    /** Writes without flushing; {@link #flush()} sends everything written since. */
    public void write(Frame frame) {
        int length = encoder.encode(frame, scratch, 0);
        ByteBuf json = channel.alloc().ioBuffer(length);
        json.writeBytes(scratch.byteArray(), 0, length);
        channel.write(new TextWebSocketFrame(json), channel.voidPromise());
        pendingFlush = true;
    }

    public void flush() {
        if (pendingFlush) {
            pendingFlush = false;
            channel.flush();
        }
    }

    /** A reusable frame for building what this connection sends next. */
    public Frame outFrame() {
        return out;
    }

    public int index() {
        return index;
    }

    public void close() {
        if (channel != null) {
            channel.close();
        }
    }
}
