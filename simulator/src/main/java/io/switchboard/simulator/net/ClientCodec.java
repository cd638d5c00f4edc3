package io.switchboard.simulator.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.core.protocol.BinaryFrameDecoder;
import io.switchboard.core.protocol.BinaryFrameEncoder;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.JsonFrameDecoder;
import io.switchboard.core.protocol.JsonFrameEncoder;
import io.switchboard.core.protocol.WireCodec;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The client side of sb.json.v1 over WebSocket text frames, or of sb.bin.v1 over binary frames: decodes what the server
 * sends into one reusable frame and encodes what a client sends into a pooled buffer. Not thread-safe: one per client I/O thread, shared by every
 * connection on it, so a million virtual devices cost one codec, not a million.
 */
final class ClientCodec {
    private final Frame in = new Frame();
    private final WireCodec codec;
    private final JsonFrameDecoder jsonDecoder = new JsonFrameDecoder();
    private final JsonFrameEncoder jsonEncoder = new JsonFrameEncoder();
    private final BinaryFrameDecoder binaryDecoder = new BinaryFrameDecoder();
    private final BinaryFrameEncoder binaryEncoder = new BinaryFrameEncoder();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(512);
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);

    ClientCodec(WireCodec codec) {
        this.codec = codec;
    }

    /** Decodes one frame in this codec; the result is valid until the next call. */
    Frame decode(WebSocketFrame message) {
        ByteBuf content = message.content();
        int length = content.readableBytes();
        scratch.checkLimit(length);
        byte[] bytes = scratch.byteArray();
        content.getBytes(content.readerIndex(), bytes, 0, length);
        view.wrap(bytes, 0, length);
        if (codec == WireCodec.BINARY) {
            binaryDecoder.decode(view, 0, length, in);
        } else {
            jsonDecoder.decode(view, 0, length, in);
        }
        return in;
    }

    WebSocketFrame encode(Frame frame, ByteBufAllocator alloc) {
        boolean binary = codec == WireCodec.BINARY;
        int length = binary ? binaryEncoder.encode(frame, scratch, 0) : jsonEncoder.encode(frame, scratch, 0);
        ByteBuf encoded = alloc.ioBuffer(length);
        encoded.writeBytes(scratch.byteArray(), 0, length);
        return binary ? new BinaryWebSocketFrame(encoded) : new TextWebSocketFrame(encoded);
    }
}
