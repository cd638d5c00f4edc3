package io.switchboard.jmh.protocol;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.JsonFrameDecoder;
import io.switchboard.core.protocol.JsonFrameEncoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Question: what does sb.json.v1 cost per frame on the I/O thread, for the frames of a one-to-one exchange, by
 * body size? (Each message crosses the codec twice: send decoded, msg encoded.)
 */
public class JsonCodecBenchmark extends CodecBenchmark {
    private final JsonFrameEncoder encoder = new JsonFrameEncoder();
    private final JsonFrameDecoder decoder = new JsonFrameDecoder();

    @Override
    int encode(Frame frame, MutableDirectBuffer dst) {
        return encoder.encode(frame, dst, 0);
    }

    @Override
    void decode(DirectBuffer src, int length, Frame into) {
        decoder.decode(src, 0, length, into);
    }
}
