package io.switchboard.core.protocol;

import static io.switchboard.core.protocol.Frames.assertSameFrame;
import static io.switchboard.core.protocol.Frames.decode;
import static io.switchboard.core.protocol.Frames.encode;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every frame shape of protocol.md survives encode, decode and encode again, field for field and byte for byte. */
class FrameRoundTripTest {
    private static final long MAX = ProtocolLimits.MAX_ID;
    private static final String UNICODE_NAME = "Famille \u00e9t\u00e9 \u4e2d\u6587 \ud83d\udc68\u200d\ud83d\udc69"
            + " \"quoted\" back\\slash new\nline tab\t bell\u0007 nul\u0000 \ud834\udd1e";

    static Stream<Arguments> frames() {
        return Stream.of(
                shape("hello", () -> frame(FrameType.HELLO).user(42).device(1).token("s3cr3t-T0k3n_~!{}")),
                shape(
                        "hello at the limits",
                        () -> frame(FrameType.HELLO)
                                .user(MAX)
                                .device(ProtocolLimits.MAX_DEVICE)
                                .token("x".repeat(ProtocolLimits.MAX_TOKEN_LENGTH))),
                shape(
                        "welcome",
                        () -> frame(FrameType.WELCOME).user(42).device(1).ts(1_700_000_000_000L)),
                shape("ping", () -> frame(FrameType.PING)),
                shape("pong at ts 0", () -> frame(FrameType.PONG).ts(0)),
                shape(
                        "send to a user, two devices",
                        () -> frame(FrameType.SEND)
                                .id(7)
                                .toUser(99)
                                .addEnvelope(1, EnvelopeType.PKMSG, bytes(100, 1))
                                .addEnvelope(2, EnvelopeType.MSG, bytes(5, 2))),
                shape(
                        "send to a group with media",
                        () -> frame(FrameType.SEND)
                                .id(8)
                                .toGroup("g1.family_2024-x")
                                .addEnvelope(0, EnvelopeType.SKMSG, bytes(33, 3))
                                .media("m-" + "A".repeat(100), 1234)),
                shape(
                        "send with an empty body",
                        () -> frame(FrameType.SEND)
                                .id(MAX)
                                .toUser(MAX)
                                .addEnvelope(63, EnvelopeType.PLAIN, new byte[0])),
                shape(
                        "send with 1- and 2-byte bodies",
                        () -> frame(FrameType.SEND)
                                .id(9)
                                .toUser(5)
                                .addEnvelope(1, EnvelopeType.PLAIN, bytes(1, 4))
                                .addEnvelope(2, EnvelopeType.PLAIN, bytes(2, 5))),
                shape(
                        "send with a 64 KiB body",
                        () -> frame(FrameType.SEND)
                                .id(10)
                                .toUser(5)
                                .addEnvelope(1, EnvelopeType.MSG, bytes(64 * 1024, 6))),
                shape("send with the most envelopes", FrameRoundTripTest::sendToEveryDevice),
                shape("ack", () -> frame(FrameType.ACK).id(7).ts(1_700_000_000_001L)),
                shape(
                        "msg one-to-one",
                        () -> frame(FrameType.MSG)
                                .seq(123)
                                .id(7)
                                .from(42, 1)
                                .addEnvelope(0, EnvelopeType.MSG, bytes(48, 7))
                                .ts(1_700_000_000_002L)),
                shape(
                        "msg with group and media",
                        () -> frame(FrameType.MSG)
                                .seq(124)
                                .id(8)
                                .from(42, 3)
                                .group("g1")
                                .addEnvelope(0, EnvelopeType.SKMSG, bytes(64, 8))
                                .media("media.01", 0)
                                .ts(MAX)),
                shape("recv", () -> frame(FrameType.RECV).seq(123)),
                shape(
                        "receipt delivered to a user",
                        () -> frame(FrameType.RECEIPT)
                                .id(7)
                                .toUser(99)
                                .kind(ReceiptKind.DELIVERED)
                                .ts(5)),
                shape(
                        "receipt to a session with receipt acks",
                        () -> frame(FrameType.RECEIPT)
                                .id(7)
                                .toUser(99)
                                .kind(ReceiptKind.READ)
                                .ts(5)
                                .rseq(1_838_000_000_000_000L)),
                shape("receipt.ack", () -> frame(FrameType.RECEIPT_ACK).rseq(MAX)),
                shape(
                        "group.invite",
                        () -> frame(FrameType.GROUP_INVITE)
                                .group("g1")
                                .by(42)
                                .invite("Zm9vYmFyLWJhei1xdXV4LTEy")
                                .expiresAt(MAX)),
                shape(
                        "group.join",
                        () -> frame(FrameType.GROUP_JOIN).req(3).group("g1").invite("Zm9vYmFyLWJhei1xdXV4LTEy")),
                shape(
                        "result that invited instead of adding",
                        () -> frame(FrameType.RESULT)
                                .req(2)
                                .ok(true)
                                .addInvited(99)
                                .addInvited(MAX)),
                shape(
                        "hello asking for receipt acks",
                        () -> frame(FrameType.HELLO)
                                .user(42)
                                .device(2)
                                .token("t")
                                .receiptAcks(true)),
                shape(
                        "welcome granting receipt acks",
                        () -> frame(FrameType.WELCOME).user(42).device(2).ts(1).receiptAcks(true)),
                shape(
                        "receipt read in a group",
                        () -> frame(FrameType.RECEIPT)
                                .id(8)
                                .toGroup("g1")
                                .kind(ReceiptKind.READ)
                                .ts(6)),
                shape(
                        "read",
                        () -> frame(FrameType.READ)
                                .from(42, 1)
                                .addId(7)
                                .addId(8)
                                .addId(MAX)),
                shape("error with a code only", () -> frame(FrameType.ERROR).code(ErrorCode.AUTH)),
                shape(
                        "error rejecting a send",
                        () -> frame(FrameType.ERROR)
                                .code(ErrorCode.RATE_LIMITED)
                                .message("slow down: 10 frames/s")
                                .id(7)),
                shape(
                        "rate-limited send with when to retry",
                        () -> frame(FrameType.ERROR)
                                .code(ErrorCode.RATE_LIMITED)
                                .message("too many sends")
                                .id(7)
                                .retryAfterMs(250)),
                shape(
                        "rate-limited group request 0",
                        () -> frame(FrameType.ERROR)
                                .code(ErrorCode.RATE_LIMITED)
                                .req(0)
                                .retryAfterMs(MAX)),
                shape(
                        "error with missing and extra devices",
                        () -> frame(FrameType.ERROR)
                                .code(ErrorCode.DEVICES)
                                .id(7)
                                .addMissing(2)
                                .addMissing(63)
                                .addExtra(3)),
                shape(
                        "error with an empty message",
                        () -> frame(FrameType.ERROR).code(ErrorCode.INTERNAL).message("")),
                shape(
                        "group.create with a unicode name",
                        () -> frame(FrameType.GROUP_CREATE)
                                .req(1)
                                .group("g1")
                                .name(UNICODE_NAME)
                                .addMember(99)
                                .addMember(100)),
                shape(
                        "group.create without name or members",
                        () -> frame(FrameType.GROUP_CREATE).req(0).group("solo")),
                shape(
                        "group.add",
                        () -> frame(FrameType.GROUP_ADD).req(2).group("g1").addMember(101)),
                shape(
                        "group.remove",
                        () -> frame(FrameType.GROUP_REMOVE).req(3).group("g1").addMember(100)),
                shape("group.leave", () -> frame(FrameType.GROUP_LEAVE).req(4).group("g1")),
                shape("group.info", () -> frame(FrameType.GROUP_INFO).req(5).group("g1")),
                shape("result ok", () -> frame(FrameType.RESULT).req(1).ok(true)),
                shape(
                        "result with members and admins",
                        () -> frame(FrameType.RESULT)
                                .req(5)
                                .ok(true)
                                .addMember(42)
                                .addMember(99)
                                .addAdmin(42)),
                shape(
                        "result failed",
                        () -> frame(FrameType.RESULT)
                                .req(6)
                                .ok(false)
                                .code(ErrorCode.FORBIDDEN)
                                .message("admins only")),
                shape(
                        "group.event added",
                        () -> frame(FrameType.GROUP_EVENT)
                                .group("g1")
                                .event(GroupEventKind.ADDED)
                                .by(42)
                                .addMember(99)
                                .addMember(100)),
                shape(
                        "group.event left",
                        () -> frame(FrameType.GROUP_EVENT)
                                .group("g1")
                                .event(GroupEventKind.LEFT)
                                .by(100)
                                .addMember(100)),
                shape(
                        "group.event removed with no members",
                        () -> frame(FrameType.GROUP_EVENT)
                                .group("g1")
                                .event(GroupEventKind.REMOVED)
                                .by(42)),
                shape("sub", () -> frame(FrameType.SUB).user(99)),
                shape("unsub", () -> frame(FrameType.UNSUB).user(99)),
                shape(
                        "presence online",
                        () -> frame(FrameType.PRESENCE).user(99).online(true)),
                shape(
                        "presence offline",
                        () -> frame(FrameType.PRESENCE).user(99).online(false).lastSeen(1_700_000_000_000L)),
                shape(
                        "typing to a user",
                        () -> frame(FrameType.TYPING).toUser(99).on(true)),
                shape(
                        "typing to a group",
                        () -> frame(FrameType.TYPING).toGroup("g1").on(false)),
                shape(
                        "typing relayed",
                        () -> frame(FrameType.TYPING).from(42, 0).on(true)),
                shape(
                        "typing relayed in a group",
                        () -> frame(FrameType.TYPING).from(42, 0).group("g1").on(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldDecodeWhatItEncodesAndEncodeItAgainByteForByte(final String name, final Supplier<Frame> original) {
        final Frame frame = original.get();
        final String json = encode(frame);

        final Frame decoded = decode(json);

        assertSameFrame(decoded, frame);
        assertThat(encode(decoded)).isEqualTo(json);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldDecodeTheSameFrameWithWhitespaceBetweenTokens(final String name, final Supplier<Frame> original) {
        final Frame frame = original.get();

        assertSameFrame(decode(spaceOut(encode(frame))), frame);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldDecodeTheSameFrameWithTypeLast(final String name, final Supplier<Frame> original) {
        final Frame frame = original.get();
        final String json = encode(frame);
        final int firstComma = json.indexOf(',');
        final String typeLast = firstComma < 0
                ? json
                : "{" + json.substring(firstComma + 1, json.length() - 1) + "," + json.substring(1, firstComma) + "}";

        assertSameFrame(decode(typeLast), frame);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldDecodeIntoAReusedFrameAsIntoAFreshOne(final String name, final Supplier<Frame> original) {
        final Frame frame = original.get();
        final Frame reused = decode(encode(sendToEveryDevice().media("m1", 9).message("x")));
        final byte[] json = Frames.utf8(encode(frame));

        new JsonFrameDecoder().decode(new org.agrona.concurrent.UnsafeBuffer(json), 0, json.length, reused);

        assertSameFrame(reused, frame);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("frames")
    void shouldResetAUsedFrameToWhatAFreshOneHolds(final String name, final Supplier<Frame> original) {
        final Frame used = original.get();

        assertSameFrame(used.reset(used.type()), frame(used.type()));
    }

    @Test
    void shouldKeepEachFlagAsSetAndClearTheOtherTarget() {
        // The round trips compare flags through the same accessors on both sides; these pin them to what was set.
        assertThat(decode(encode(frame(FrameType.RESULT).req(6).ok(false).code(ErrorCode.FORBIDDEN)))
                        .ok())
                .isFalse();
        assertThat(decode(encode(frame(FrameType.TYPING).toUser(99).on(false))).on())
                .isFalse();
        assertThat(decode(encode(frame(FrameType.HELLO)
                                .user(42)
                                .device(2)
                                .token("t")
                                .receiptAcks(true)))
                        .receiptAcks())
                .isTrue();
        // A send goes to a user or to a group, never both: setting one target clears the other.
        final Frame send = frame(FrameType.SEND).toGroup("g1").toUser(99);
        assertThat(send.toGroup().length()).isZero();
        assertThat(send.hasToGroup()).isFalse();
        // Removing media removes its size too.
        assertThat(frame(FrameType.SEND).media("m1", 9).media(null, 9).mediaSize())
                .isZero();
        assertThat(frame(FrameType.GROUP_CREATE).name("family").name().toString())
                .isEqualTo("family");
    }

    private static Frame sendToEveryDevice() {
        final Frame frame = frame(FrameType.SEND).id(11).toUser(5);
        for (int device = 1; device <= ProtocolLimits.MAX_ENVELOPES; device++) {
            frame.addEnvelope(Math.min(device, ProtocolLimits.MAX_DEVICE), EnvelopeType.MSG, bytes(device, device));
        }
        return frame;
    }

    private static Arguments shape(final String name, final Supplier<Frame> frame) {
        return Arguments.of(name, frame);
    }

    private static Frame frame(final FrameType type) {
        return new Frame().reset(type);
    }

    private static byte[] bytes(final int length, final long seed) {
        final byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Adds every kind of JSON whitespace around every structural character outside strings. */
    static String spaceOut(final String json) {
        final StringBuilder out = new StringBuilder(json.length() * 2);
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            final char c = json.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\') {
                    out.append(json.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                out.append(c);
            } else if ("{}[]:,".indexOf(c) >= 0) {
                out.append(" \t").append(c).append("\r\n ");
            } else {
                out.append(c);
            }
        }
        return "\n " + out + " \n";
    }
}
