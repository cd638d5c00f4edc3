package io.switchboard.jmh.protocol;

import io.switchboard.core.protocol.BinaryFrameDecoder;
import io.switchboard.core.protocol.BinaryFrameEncoder;
import io.switchboard.core.protocol.Frame;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Question: what does sb.bin.v1 cost per frame on the I/O thread, next to sb.json.v1 ({@link JsonCodecBenchmark}), for
 * the same frames of a one-to-one exchange and body sizes? The decode includes every check the JSON decoder makes.
 */
public class BinaryCodecBenchmark extends CodecBenchmark {
    private final BinaryFrameEncoder encoder = new BinaryFrameEncoder();
    private final BinaryFrameDecoder decoder = new BinaryFrameDecoder();

    @Override
    int encode(Frame frame, MutableDirectBuffer dst) {
        return encoder.encode(frame, dst, 0);
    }

    @Override
    void decode(DirectBuffer src, int length, Frame into) {
        decoder.decode(src, 0, length, into);
    }
}
