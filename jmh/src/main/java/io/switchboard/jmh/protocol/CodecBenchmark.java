package io.switchboard.jmh.protocol;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.jmh.BenchmarkBase;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The frames of a one-to-one exchange, by type and body size, encoded and decoded by one codec: each codec's benchmark
 * says which, so that the figures of {@link JsonCodecBenchmark} and {@link BinaryCodecBenchmark} compare.
 */
@State(Scope.Thread)
public abstract class CodecBenchmark extends BenchmarkBase {
    @Param({"send", "msg", "ack", "recv", "receipt"})
    String frameType;

    @Param({"100", "1024"})
    int bodyBytes;

    private final Frame frame = new Frame();
    private final Frame decoded = new Frame();
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(4096);
    private UnsafeBuffer encoded;
    private int encodedLength;

    /** Writes {@code frame} to {@code dst} at 0; returns its length. */
    abstract int encode(Frame frame, MutableDirectBuffer dst);

    abstract void decode(DirectBuffer src, int length, Frame into);

    @Setup
    public void setUp() {
        byte[] body = new byte[bodyBytes];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31);
        }
        switch (frameType) {
            case "send" -> frame.reset(FrameType.SEND).id(123_456).toUser(99).addEnvelope(1, EnvelopeType.MSG, body);
            case "msg" ->
                frame.reset(FrameType.MSG)
                        .seq(77)
                        .id(123_456)
                        .from(42, 1)
                        .ts(1_795_000_000_000L)
                        .addEnvelope(0, EnvelopeType.MSG, body);
            case "ack" -> frame.reset(FrameType.ACK).id(123_456).ts(1_795_000_000_000L);
            case "recv" -> frame.reset(FrameType.RECV).seq(77);
            case "receipt" ->
                frame.reset(FrameType.RECEIPT)
                        .id(123_456)
                        .toUser(99)
                        .kind(ReceiptKind.DELIVERED)
                        .ts(1_795_000_000_000L);
            default -> throw new IllegalArgumentException(frameType);
        }
        encodedLength = encode(frame, out);
        byte[] bytes = new byte[encodedLength];
        out.getBytes(0, bytes);
        encoded = new UnsafeBuffer(bytes);
    }

    @Benchmark
    public int encode() {
        return encode(frame, out);
    }

    @Benchmark
    public Frame decode() {
        decode(encoded, encodedLength, decoded);
        return decoded;
    }
}
