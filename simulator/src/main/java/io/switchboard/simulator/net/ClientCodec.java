package io.switchboard.simulator.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.core.protocol.BinaryFrameDecoder;
import io.switchboard.core.protocol.BinaryFrameEncoder;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.JsonFrameDecoder;
import io.switchboard.core.protocol.JsonFrameEncoder;
import io.switchboard.core.protocol.WireCodec;
import io.switchboard.core.transport.DataFrameHeader;
import java.util.SplittableRandom;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The client side of sb.json.v1 over WebSocket text frames, or of sb.bin.v1 over binary frames: decodes what the server
 * sends into one reusable frame and encodes what a client sends, as a whole WebSocket frame, into a pooled buffer. Not
 * thread-safe: one per client I/O thread, shared by every connection on it, so a million virtual devices cost one
 * codec, not a million.
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
    /** A client masks each frame with a key of its own (RFC 6455, section 5.3); these keys guard no secret. */
    private final SplittableRandom masks = new SplittableRandom();

    private long payloadBytes;

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

    /**
     * Encodes {@code frame} as one whole WebSocket frame in a pooled buffer: header, masking key and masked payload
     * ({@link DataFrameHeader#writeMasked}), which Netty's frame encoder passes on as it is.
     */
    ByteBuf encode(Frame frame, ByteBufAllocator alloc) {
        boolean binary = codec == WireCodec.BINARY;
        int length = binary ? binaryEncoder.encode(frame, scratch, 0) : jsonEncoder.encode(frame, scratch, 0);
        ByteBuf framed = alloc.ioBuffer(DataFrameHeader.maskedBytes(length) + length);
        DataFrameHeader.writeMasked(framed, binary, scratch.byteArray(), 0, length, masks.nextInt());
        payloadBytes += length;
        return framed;
    }

    /** The payload bytes of every frame {@link #encode} made, headers left out. */
    long payloadBytes() {
        return payloadBytes;
    }
}
