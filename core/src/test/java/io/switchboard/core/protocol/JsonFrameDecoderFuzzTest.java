package io.switchboard.core.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

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
        Frames.assertDecodesCanonicallyOrFailsCleanly(input, WireCodec.JSON);
    }
}
