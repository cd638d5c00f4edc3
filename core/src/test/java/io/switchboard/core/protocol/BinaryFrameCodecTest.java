package io.switchboard.core.protocol;

import static io.switchboard.core.protocol.Frames.assertSameFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.switchboard.core.protocol.sbe.GroupCreateEncoder;
import io.switchboard.core.protocol.sbe.HelloEncoder;
import io.switchboard.core.protocol.sbe.MessageHeaderEncoder;
import io.switchboard.core.protocol.sbe.ReadEncoder;
import io.switchboard.core.protocol.sbe.SendEncoder;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sb.bin.v1 carries every frame of sb.json.v1 with the same fields (the shapes of {@link FrameRoundTripTest}), and
 * holds what it decodes to the same rules: what is malformed in binary is a {@link ProtocolException} naming the
 * problem, never a read past the frame or any other exception.
 */
class BinaryFrameCodecTest {
    private static final int HEADER = MessageHeaderEncoder.ENCODED_LENGTH;

    static Stream<Arguments> frames() {
        return FrameRoundTripTest.frames();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldDecodeWhatItEncodesAndEncodeItAgainByteForByte(final String name, final Supplier<Frame> original) {
        final Frame frame = original.get();
        final byte[] binary = new BinaryFrameEncoder().encode(frame);

        final Frame decoded = decode(binary);

        assertSameFrame(decoded, frame);
        assertThat(new BinaryFrameEncoder().encode(decoded)).isEqualTo(binary);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldDecodeTheFrameTheJsonDecoderDecodes(final String name, final Supplier<Frame> original) {
        final Frame frame = original.get();

        assertSameFrame(decode(new BinaryFrameEncoder().encode(frame)), Frames.decode(Frames.encode(frame)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldDecodeIntoAReusedFrameWithAReusedDecoder(final String name, final Supplier<Frame> original) {
        final Frame frame = original.get();
        final BinaryFrameEncoder encoder = new BinaryFrameEncoder();
        final BinaryFrameDecoder decoder = new BinaryFrameDecoder();
        final Frame reused = new Frame();
        final byte[] big = encoder.encode(new Frame()
                .reset(FrameType.ERROR)
                .code(ErrorCode.DEVICES)
                .message("x")
                .addMissing(1)
                .addExtra(2));
        decoder.decode(new UnsafeBuffer(big), 0, big.length, reused);
        // Encoded at an offset into a buffer holding other bytes, as in a ring.
        final UnsafeBuffer ring = new UnsafeBuffer(new byte[256 * 1024]);
        Arrays.fill(ring.byteArray(), (byte) 0x5A);
        final int length = encoder.encode(frame, ring, 100);

        decoder.decode(ring, 100, length, reused);

        assertSameFrame(reused, frame);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldRefuseEveryTruncationWithAProtocolException(final String name, final Supplier<Frame> original) {
        final byte[] binary = new BinaryFrameEncoder().encode(original.get());
        for (int length = 0; length < Math.min(binary.length, 600); length++) {
            final byte[] cut = Arrays.copyOf(binary, length);
            assertThatThrownBy(() -> decode(cut))
                    .as("cut at %d of %d", length, binary.length)
                    .isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void shouldNameTheProblemOfEachMalformedFrame() {
        final byte[] hello = hello();
        assertBad(new byte[0], "empty frame");
        assertBad(Arrays.copyOf(hello, 5), "frame shorter than its 8-byte header");
        assertBad(patchShort(hello, 4, 7), "not an sb.bin.v1 frame: schema id 7");
        assertBad(patchShort(hello, 2, 99), "unknown frame type: template id 99");
        assertBad(patchShort(hello, 0, 3), "'hello' block of 3 bytes, fewer than " + HelloEncoder.BLOCK_LENGTH);
        assertBad(patchLong(hello, HEADER + HelloEncoder.userEncodingOffset(), 0), "field 'user': expected an integer");
        assertBad(
                patchLong(hello, HEADER + HelloEncoder.userEncodingOffset(), ProtocolLimits.MAX_ID + 1),
                "field 'user': expected an integer in 1..9007199254740991");
        assertBad(patchByte(hello, HEADER + HelloEncoder.deviceEncodingOffset(), 64), "field 'device'");
        assertBad(patchByte(hello, HEADER + HelloEncoder.receiptAcksEncodingOffset(), 2), "field 'receiptAcks'");
        assertBad(Arrays.copyOf(hello, hello.length + 1), "1 bytes after the frame");
        assertBad(encode(new Frame().reset(FrameType.SEND).id(1).toUser(2)), "field 'env': must not be empty");
        assertBad(
                encode(new Frame().reset(FrameType.SEND).id(1).addEnvelope(1, EnvelopeType.MSG, new byte[1])),
                "field 'to': expected exactly one of 'user' or 'group'");
        assertBad(
                encode(new Frame().reset(FrameType.GROUP_LEAVE).req(1).group("no spaces")),
                "field 'group': expected a string of 1..64 characters [A-Za-z0-9._-]");
        assertBad(encode(new Frame().reset(FrameType.READ).from(1, 1)), "field 'ids': must not be empty");
        assertBad(encode(new Frame().reset(FrameType.TYPING).on(true)), "missing field 'to' for 'typing'");
    }

    @Test
    void shouldRefuseATokenThatCannotBeOneWithAuthAsJsonDoes() {
        final byte[] spaced =
                encode(new Frame().reset(FrameType.HELLO).user(1).device(1).token("a b"));
        final byte[] empty = encode(new Frame().reset(FrameType.HELLO).user(1).device(1));

        assertThat(catchThrowableOfType(ProtocolException.class, () -> decode(spaced))
                        .code())
                .isEqualTo(ErrorCode.AUTH);
        assertThat(catchThrowableOfType(ProtocolException.class, () -> decode(empty))
                        .code())
                .isEqualTo(ErrorCode.AUTH);
    }

    @Test
    void shouldRefuseANameThatIsNotUtf8() {
        final byte[] create = encode(
                new Frame().reset(FrameType.GROUP_CREATE).req(1).group("g").name("\u00e9"));
        // The name's two bytes (0xC3 0xA9) are last: a lone continuation byte is not UTF-8.
        create[create.length - 2] = (byte) 0xA9;

        assertBad(create, "field 'name': invalid UTF-8");
    }

    @Test
    void shouldRefuseListsThatClaimMoreThanTheFrameHolds() {
        final byte[] read = encode(new Frame().reset(FrameType.READ).from(1, 1).addId(7));
        final int count = HEADER + ReadEncoder.BLOCK_LENGTH + 2;

        assertBad(patchShort(read, count, 2), "field 'ids': runs past the end of the frame");
        assertBad(patchShort(read, count, ProtocolLimits.MAX_LIST + 1), "field 'ids': more than 4096 entries");
        assertBad(patchShort(read, count - 2, 4), "field 'ids': entries of 4 bytes, fewer than 8");
    }

    @Test
    void shouldRefuseABodyLongerThanTheFrame() {
        final byte[] send =
                encode(new Frame().reset(FrameType.SEND).id(1).toUser(2).addEnvelope(1, EnvelopeType.MSG, new byte[3]));
        final int bodyLength = HEADER + SendEncoder.BLOCK_LENGTH + 4 + SendEncoder.EnvEncoder.sbeBlockLength();
        new UnsafeBuffer(send).putInt(bodyLength, -1);

        assertBad(send, "field 'body' of env[0]: runs past the end of the frame");
    }

    @Test
    void shouldIgnoreWhatANewerVersionAddsAsJsonIgnoresUnknownKeys() {
        final Frame frame =
                new Frame().reset(FrameType.GROUP_CREATE).req(1).group("g1").addMember(9);
        final byte[] current = encode(frame);
        // Version 1 of the schema with 4 more bytes in the block and a field after the frame's.
        final int block = HEADER + GroupCreateEncoder.BLOCK_LENGTH;
        final byte[] newer = new byte[current.length + 4 + 3];
        System.arraycopy(current, 0, newer, 0, block);
        System.arraycopy(current, block, newer, block + 4, current.length - block);
        final UnsafeBuffer buffer = new UnsafeBuffer(newer);
        buffer.putShort(0, (short) (GroupCreateEncoder.BLOCK_LENGTH + 4));
        buffer.putShort(6, (short) 1);

        assertSameFrame(decode(newer), frame);
    }

    private static byte[] hello() {
        return encode(new Frame().reset(FrameType.HELLO).user(42).device(1).token("tok"));
    }

    private static byte[] encode(final Frame frame) {
        return new BinaryFrameEncoder().encode(frame);
    }

    private static Frame decode(final byte[] binary) {
        final Frame frame = new Frame();
        new BinaryFrameDecoder().decode(new UnsafeBuffer(binary), 0, binary.length, frame);
        return frame;
    }

    private static void assertBad(final byte[] binary, final String message) {
        final ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> decode(binary));
        assertThat(e).as("decoding should fail with %s", message).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(e.getMessage()).contains(message);
    }

    private static byte[] patchShort(final byte[] binary, final int offset, final int value) {
        final byte[] copy = binary.clone();
        new UnsafeBuffer(copy).putShort(offset, (short) value);
        return copy;
    }

    private static byte[] patchLong(final byte[] binary, final int offset, final long value) {
        final byte[] copy = binary.clone();
        new UnsafeBuffer(copy).putLong(offset, value);
        return copy;
    }

    private static byte[] patchByte(final byte[] binary, final int offset, final int value) {
        final byte[] copy = binary.clone();
        copy[offset] = (byte) value;
        return copy;
    }
}
