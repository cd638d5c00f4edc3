package io.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;

/** Test helpers: decode and encode from strings, and compare every field of two frames. */
final class Frames {
    private Frames() {}

    static Frame decode(final String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    static Frame decode(final byte[] bytes) {
        final Frame frame = new Frame();
        new JsonFrameDecoder().decode(new UnsafeBuffer(bytes), 0, bytes.length, frame);
        return frame;
    }

    static String encode(final Frame frame) {
        return new JsonFrameEncoder().encodeToString(frame);
    }

    static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What a fuzz target holds of any input to a decoder: it decodes into a frame or fails with a {@link
     * ProtocolException}, never anything else (an index out of bounds, a null, an overflow); and what decodes is a frame
     * the server may relay, so it encodes canonically: decoding the encoding gives the same frame, field for field, and
     * encoding that gives the same bytes again. Fresh codecs and frames each time, so that a finding replays alone.
     */
    static void assertDecodesCanonicallyOrFailsCleanly(final byte[] input, final WireCodec codec) {
        final Frame frame = new Frame();
        try {
            // An exact-length buffer: a read past the frame's end fails Agrona's bounds check.
            decode(input, codec, frame);
        } catch (ProtocolException e) {
            assertThat(e.code()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        final byte[] encoded = encode(frame, codec);
        final Frame decoded = new Frame();
        decode(encoded, codec, decoded);

        assertSameFrame(decoded, frame);
        assertThat(encode(decoded, codec)).isEqualTo(encoded);
    }

    private static void decode(final byte[] bytes, final WireCodec codec, final Frame into) {
        if (codec == WireCodec.BINARY) {
            new BinaryFrameDecoder().decode(new UnsafeBuffer(bytes), 0, bytes.length, into);
        } else {
            new JsonFrameDecoder().decode(new UnsafeBuffer(bytes), 0, bytes.length, into);
        }
    }

    private static byte[] encode(final Frame frame, final WireCodec codec) {
        return codec == WireCodec.BINARY
                ? new BinaryFrameEncoder().encode(frame)
                : new JsonFrameEncoder().encode(frame);
    }

    /** Asserts that every field of {@code actual} equals that of {@code expected}, with a readable diff. */
    static void assertSameFrame(final Frame actual, final Frame expected) {
        assertThat(fields(actual)).isEqualTo(fields(expected));
    }

    /** Every field of a frame by name, bodies in base64: a value that compares and prints well. */
    static Map<String, Object> fields(final Frame frame) {
        final Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", frame.type());
        fields.put("user", frame.user());
        fields.put("device", frame.device());
        fields.put("token", frame.token().toString());
        fields.put("id", frame.id());
        fields.put("hasId", frame.hasId());
        fields.put("seq", frame.seq());
        fields.put("ts", frame.ts());
        fields.put("req", frame.req());
        fields.put("toUser", frame.toUser());
        fields.put("toGroup", frame.toGroup().toString());
        fields.put("hasToGroup", frame.hasToGroup());
        fields.put("fromUser", frame.fromUser());
        fields.put("fromDevice", frame.fromDevice());
        fields.put("group", frame.group().toString());
        fields.put("name", frame.name().toString());
        fields.put("hasName", frame.hasName());
        fields.put("message", frame.message().toString());
        fields.put("hasMessage", frame.hasMessage());
        fields.put("mediaId", frame.mediaId().toString());
        fields.put("mediaSize", frame.mediaSize());
        fields.put("hasMedia", frame.hasMedia());
        fields.put("code", frame.code());
        fields.put("kind", frame.kind());
        fields.put("event", frame.event());
        fields.put("by", frame.by());
        fields.put("ok", frame.ok());
        fields.put("online", frame.online());
        fields.put("lastSeen", frame.lastSeen());
        fields.put("hasLastSeen", frame.hasLastSeen());
        fields.put("on", frame.on());
        fields.put("rseq", frame.rseq());
        fields.put("receiptAcks", frame.receiptAcks());
        final List<String> envelopes = new ArrayList<>();
        for (int i = 0; i < frame.envelopeCount(); i++) {
            envelopes.add(frame.envelopeDevice(i) + "/" + frame.envelopeType(i) + "/"
                    + Base64.getEncoder().encodeToString(frame.envelopeBody(i)));
        }
        fields.put("env", envelopes);
        fields.put("ids", new ArrayList<>(frame.ids()));
        fields.put("members", new ArrayList<>(frame.members()));
        fields.put("hasMembers", frame.hasMembers());
        fields.put("admins", new ArrayList<>(frame.admins()));
        fields.put("hasAdmins", frame.hasAdmins());
        fields.put("missing", new ArrayList<>(frame.missing()));
        fields.put("hasMissing", frame.hasMissing());
        fields.put("extra", new ArrayList<>(frame.extra()));
        fields.put("hasExtra", frame.hasExtra());
        return fields;
    }
}
