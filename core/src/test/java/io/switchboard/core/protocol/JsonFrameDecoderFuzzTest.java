package io.switchboard.core.protocol;

import static io.switchboard.core.protocol.Frames.assertSameFrame;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The sb.json.v1 decoder against arbitrary bytes (the fuzz profile and docs/fuzzing.md tell how to run it): a client
 * controls every byte of a frame, so a decode either yields a frame or fails with a {@link ProtocolException}, never
 * anything else (an index out of bounds, a null, an overflow). What decodes is a frame the server may relay, so it
 * encodes canonically: decoding the encoding gives the same frame, field for field, and encoding that gives the same
 * bytes again ({@link JsonFrameEncoder}'s promise).
 *
 * <p>Every input gets a fresh decoder and frames, so that a finding replays alone from its file; reuse across frames
 * is {@link FrameRoundTripTest}'s subject. Seeds: {@code JsonFrameDecoderFuzzTestInputs/} under test resources.
 */
class JsonFrameDecoderFuzzTest {
    @FuzzTest
    void shouldDecodeAnyBytesIntoAFrameThatRoundTripsOrFailWithAProtocolException(byte[] input) {
        Frame frame = new Frame();
        try {
            // An exact-length buffer: a read past the frame's end fails Agrona's bounds check.
            new JsonFrameDecoder().decode(new UnsafeBuffer(input), 0, input.length, frame);
        } catch (ProtocolException e) {
            assertThat(e.code()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        JsonFrameEncoder encoder = new JsonFrameEncoder();
        byte[] encoded = encoder.encode(frame);
        Frame decoded = new Frame();
        new JsonFrameDecoder().decode(new UnsafeBuffer(encoded), 0, encoded.length, decoded);

        assertSameFrame(decoded, frame);
        assertThat(encoder.encode(decoded)).isEqualTo(encoded);
    }
}
