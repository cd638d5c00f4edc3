package io.switchboard.simulator.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.JsonFrameDecoder;
import io.switchboard.core.protocol.JsonFrameEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The client side of sb.json.v1 over WebSocket text frames: decodes what the server sends into one reusable frame and
 * encodes what a client sends into a pooled buffer. Not thread-safe: one per client I/O thread, shared by every
 * connection on it, so a million virtual devices cost one codec, not a million.
 */
final class ClientCodec {
    private final Frame in = new Frame();
    private final JsonFrameDecoder decoder = new JsonFrameDecoder();
    private final JsonFrameEncoder encoder = new JsonFrameEncoder();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(512);
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    /** Decodes one text frame; the result is valid until the next call. */
    Frame decode(TextWebSocketFrame message) {
        ByteBuf content = message.content();
        int length = content.readableBytes();
        scratch.checkLimit(length);
        byte[] bytes = scratch.byteArray();
        content.getBytes(content.readerIndex(), bytes, 0, length);
        view.wrap(bytes, 0, length);
        decoder.decode(view, 0, length, in);
        return in;
    }

    TextWebSocketFrame encode(Frame frame, ByteBufAllocator alloc) {
        int length = encoder.encode(frame, scratch, 0);
        ByteBuf json = alloc.ioBuffer(length);
        json.writeBytes(scratch.byteArray(), 0, length);
        return new TextWebSocketFrame(json);
    }
}
