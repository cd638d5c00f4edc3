package io.switchboard.jmh.protocol;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.JsonFrameDecoder;
import io.switchboard.core.protocol.JsonFrameEncoder;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.jmh.BenchmarkBase;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Question: what does sb.json.v1 cost per frame on the I/O thread, for the frames of a one-to-one exchange, by
 * body size? (Each message crosses the codec twice: send decoded, msg encoded.)
 */
@State(Scope.Thread)
public class JsonCodecBenchmark extends BenchmarkBase {
    @Param({"send", "msg", "ack", "recv", "receipt"})
    String frameType;

    @Param({"100", "1024"})
    int bodyBytes;

    private final Frame frame = new Frame();
    private final Frame decoded = new Frame();
    private final JsonFrameEncoder encoder = new JsonFrameEncoder();
    private final JsonFrameDecoder decoder = new JsonFrameDecoder();
    private final ExpandableArrayBuffer out = new ExpandableArrayBuffer(4096);
    private UnsafeBuffer encoded;
    private int encodedLength;

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
        byte[] json = encoder.encode(frame);
        encoded = new UnsafeBuffer(json);
        encodedLength = json.length;
    }

    @Benchmark
    public int encode() {
        return encoder.encode(frame, out, 0);
    }

    @Benchmark
    public Frame decode() {
        decoder.decode(encoded, 0, encodedLength, decoded);
        return decoded;
    }
}
