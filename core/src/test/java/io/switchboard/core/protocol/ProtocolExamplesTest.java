package io.switchboard.core.protocol;

import static io.switchboard.core.protocol.Frames.decode;
import static io.switchboard.core.protocol.Frames.encode;
import static io.switchboard.core.protocol.Frames.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example frames of protocol.md, pasted with its placeholders ({@code ...}, {@code <base64>}) filled in, decode
 * to the fields they describe.
 */
class ProtocolExamplesTest {
    /** "hello" in base64. */
    private static final String BODY = "aGVsbG8=";

    @Test
    void shouldDecodeHello() {
        final Frame frame = decode("{\"t\":\"hello\",\"user\":42,\"device\":1,\"token\":\"<opaque>\"}");

        assertThat(frame.type()).isEqualTo(FrameType.HELLO);
        assertThat(frame.user()).isEqualTo(42);
        assertThat(frame.device()).isEqualTo(1);
        assertThat(frame.token().contentEquals("<opaque>")).isTrue();
    }

    @Test
    void shouldDecodeWelcome() {
        final Frame frame = decode("{\"t\":\"welcome\",\"user\":42,\"device\":1,\"ts\":1700000000000}");

        assertThat(frame.type()).isEqualTo(FrameType.WELCOME);
        assertThat(frame.user()).isEqualTo(42);
        assertThat(frame.device()).isEqualTo(1);
        assertThat(frame.ts()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void shouldDecodeSessionErrors() {
        assertThat(decode("{\"t\":\"error\",\"code\":\"auth\"}").code()).isEqualTo(ErrorCode.AUTH);
        assertThat(decode("{\"t\":\"error\",\"code\":\"replaced\"}").code()).isEqualTo(ErrorCode.REPLACED);
        assertThat(decode("{\"t\":\"error\",\"code\":\"forbidden\"}").code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void shouldDecodePingAndPong() {
        assertThat(decode("{\"t\":\"ping\"}").type()).isEqualTo(FrameType.PING);

        final Frame pong = decode("{\"t\":\"pong\",\"ts\":1700000000000}");
        assertThat(pong.type()).isEqualTo(FrameType.PONG);
        assertThat(pong.ts()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void shouldDecodeSendToAUser() {
        final Frame frame = decode(
                "{\"t\":\"send\",\"id\":7,\"to\":{\"user\":99},\"env\":[{\"device\":1,\"type\":\"msg\",\"body\":\""
                        + BODY + "\"}]}");

        assertThat(frame.type()).isEqualTo(FrameType.SEND);
        assertThat(frame.id()).isEqualTo(7);
        assertThat(frame.toUser()).isEqualTo(99);
        assertThat(frame.hasToGroup()).isFalse();
        assertThat(frame.envelopeCount()).isEqualTo(1);
        assertThat(frame.envelopeDevice(0)).isEqualTo(1);
        assertThat(frame.envelopeType(0)).isEqualTo(EnvelopeType.MSG);
        assertThat(frame.envelopeBody(0)).isEqualTo(utf8("hello"));
        assertThat(frame.bodies().getStringWithoutLengthUtf8(frame.envelopeBodyOffset(0), frame.envelopeBodyLength(0)))
                .isEqualTo("hello");
        assertThat(frame.hasMedia()).isFalse();
    }

    @Test
    void shouldDecodeSendWithMedia() {
        final Frame frame = decode("{\"t\":\"send\",\"id\":7,\"to\":{\"user\":99},"
                + "\"env\":[{\"device\":1,\"type\":\"pkmsg\",\"body\":\"" + BODY + "\"}],"
                + "\"media\":{\"id\":\"b1946ac92492d2347c6235b4d2611184\",\"size\":1234}}");

        assertThat(frame.envelopeType(0)).isEqualTo(EnvelopeType.PKMSG);
        assertThat(frame.hasMedia()).isTrue();
        assertThat(frame.mediaId().toString()).isEqualTo("b1946ac92492d2347c6235b4d2611184");
        assertThat(frame.mediaSize()).isEqualTo(1234);
    }

    @Test
    void shouldDecodeAckAndRejection() {
        final Frame ack = decode("{\"t\":\"ack\",\"id\":7,\"ts\":1700000000001}");
        assertThat(ack.type()).isEqualTo(FrameType.ACK);
        assertThat(ack.id()).isEqualTo(7);
        assertThat(ack.ts()).isEqualTo(1_700_000_000_001L);

        final Frame error = decode("{\"t\":\"error\",\"id\":7,\"code\":\"rate-limited\",\"message\":\"slow down\"}");
        assertThat(error.type()).isEqualTo(FrameType.ERROR);
        assertThat(error.hasId()).isTrue();
        assertThat(error.id()).isEqualTo(7);
        assertThat(error.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(error.hasMessage()).isTrue();
        assertThat(error.message().toString()).isEqualTo("slow down");
    }

    @Test
    void shouldDecodeMsg() {
        final Frame frame = decode("{\"t\":\"msg\",\"seq\":123,\"id\":7,\"from\":{\"user\":42,\"device\":1},"
                + "\"type\":\"msg\",\"body\":\"" + BODY + "\",\"ts\":1700000000002}");

        assertThat(frame.type()).isEqualTo(FrameType.MSG);
        assertThat(frame.seq()).isEqualTo(123);
        assertThat(frame.id()).isEqualTo(7);
        assertThat(frame.fromUser()).isEqualTo(42);
        assertThat(frame.fromDevice()).isEqualTo(1);
        assertThat(frame.group().isEmpty()).isTrue();
        assertThat(frame.envelopeCount()).isEqualTo(1);
        assertThat(frame.envelopeDevice(0)).isZero();
        assertThat(frame.envelopeType(0)).isEqualTo(EnvelopeType.MSG);
        assertThat(frame.envelopeBody(0)).isEqualTo(utf8("hello"));
        assertThat(frame.ts()).isEqualTo(1_700_000_000_002L);
    }

    @Test
    void shouldDecodeRecvReceiptsAndRead() {
        assertThat(decode("{\"t\":\"recv\",\"seq\":123}").seq()).isEqualTo(123);

        final Frame delivered =
                decode("{\"t\":\"receipt\",\"id\":7,\"to\":{\"user\":99},\"kind\":\"delivered\",\"ts\":1700000000003}");
        assertThat(delivered.id()).isEqualTo(7);
        assertThat(delivered.toUser()).isEqualTo(99);
        assertThat(delivered.kind()).isEqualTo(ReceiptKind.DELIVERED);
        assertThat(delivered.ts()).isEqualTo(1_700_000_000_003L);

        final Frame read = decode("{\"t\":\"read\",\"from\":{\"user\":42,\"device\":1},\"ids\":[7,8]}");
        assertThat(read.fromUser()).isEqualTo(42);
        assertThat(read.fromDevice()).isEqualTo(1);
        assertThat(read.ids().toLongArray()).containsExactly(7, 8);

        final Frame readReceipt =
                decode("{\"t\":\"receipt\",\"id\":7,\"to\":{\"user\":99},\"kind\":\"read\",\"ts\":1700000000004}");
        assertThat(readReceipt.kind()).isEqualTo(ReceiptKind.READ);
    }

    @Test
    void shouldDecodeDeviceMismatch() {
        final Frame frame = decode("{\"t\":\"error\",\"id\":7,\"code\":\"devices\",\"missing\":[2],\"extra\":[3]}");

        assertThat(frame.code()).isEqualTo(ErrorCode.DEVICES);
        assertThat(frame.id()).isEqualTo(7);
        assertThat(frame.missing().toIntArray()).containsExactly(2);
        assertThat(frame.extra().toIntArray()).containsExactly(3);
        assertThat(frame.hasMessage()).isFalse();
    }

    @Test
    void shouldDecodeGroupManagement() {
        final Frame create =
                decode("{\"t\":\"group.create\",\"req\":1,\"group\":\"g1\",\"name\":\"Family\",\"members\":[99,100]}");
        assertThat(create.type()).isEqualTo(FrameType.GROUP_CREATE);
        assertThat(create.req()).isEqualTo(1);
        assertThat(create.group().contentEquals("g1")).isTrue();
        assertThat(create.hasName()).isTrue();
        assertThat(create.name().toString()).isEqualTo("Family");
        assertThat(create.members().toLongArray()).containsExactly(99, 100);

        final Frame result = decode("{\"t\":\"result\",\"req\":1,\"ok\":true}");
        assertThat(result.req()).isEqualTo(1);
        assertThat(result.ok()).isTrue();
        assertThat(result.hasMembers()).isFalse();
        assertThat(result.hasAdmins()).isFalse();
        assertThat(result.code()).isNull();

        final Frame info = decode("{\"t\":\"result\",\"req\":2,\"ok\":true,\"members\":[42,99,100],\"admins\":[42]}");
        assertThat(info.members().toLongArray()).containsExactly(42, 99, 100);
        assertThat(info.admins().toLongArray()).containsExactly(42);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"added", "removed", "left"})
    void shouldDecodeGroupEvents(final String event) {
        final Frame frame = decode(
                "{\"t\":\"group.event\",\"group\":\"g1\",\"event\":\"" + event + "\",\"by\":42,\"members\":[99,100]}");

        assertThat(frame.type()).isEqualTo(FrameType.GROUP_EVENT);
        assertThat(frame.group().toString()).isEqualTo("g1");
        assertThat(frame.event().wireName()).isEqualTo(event);
        assertThat(frame.by()).isEqualTo(42);
        assertThat(frame.members().toLongArray()).containsExactly(99, 100);
    }

    @Test
    void shouldDecodeGroupSend() {
        final Frame frame =
                decode("{\"t\":\"send\",\"id\":8,\"to\":{\"group\":\"g1\"},\"env\":[{\"type\":\"skmsg\",\"body\":\""
                        + BODY + "\"}]}");

        assertThat(frame.id()).isEqualTo(8);
        assertThat(frame.hasToGroup()).isTrue();
        assertThat(frame.toGroup().contentEquals("g1")).isTrue();
        assertThat(frame.toUser()).isZero();
        assertThat(frame.envelopeDevice(0)).isZero();
        assertThat(frame.envelopeType(0)).isEqualTo(EnvelopeType.SKMSG);
    }

    @Test
    void shouldDecodePresence() {
        assertThat(decode("{\"t\":\"sub\",\"user\":99}").user()).isEqualTo(99);
        assertThat(decode("{\"t\":\"unsub\",\"user\":99}").type()).isEqualTo(FrameType.UNSUB);

        final Frame presence = decode("{\"t\":\"presence\",\"user\":99,\"online\":false,\"lastSeen\":1700000000005}");
        assertThat(presence.user()).isEqualTo(99);
        assertThat(presence.online()).isFalse();
        assertThat(presence.hasLastSeen()).isTrue();
        assertThat(presence.lastSeen()).isEqualTo(1_700_000_000_005L);
    }

    @Test
    void shouldDecodeTyping() {
        final Frame sent = decode("{\"t\":\"typing\",\"to\":{\"user\":99},\"on\":true}");
        assertThat(sent.toUser()).isEqualTo(99);
        assertThat(sent.fromUser()).isZero();
        assertThat(sent.on()).isTrue();

        final Frame relayed = decode("{\"t\":\"typing\",\"from\":{\"user\":42},\"on\":true}");
        assertThat(relayed.fromUser()).isEqualTo(42);
        assertThat(relayed.fromDevice()).isZero();
        assertThat(relayed.toUser()).isZero();
        assertThat(relayed.on()).isTrue();
    }

    /** Examples whose keys protocol.md already writes in the canonical order come back out verbatim. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "{\"t\":\"hello\",\"user\":42,\"device\":1,\"token\":\"<opaque>\"}",
                "{\"t\":\"welcome\",\"user\":42,\"device\":1,\"ts\":1700000000000}",
                "{\"t\":\"error\",\"code\":\"auth\"}",
                "{\"t\":\"ping\"}",
                "{\"t\":\"pong\",\"ts\":1700000000000}",
                "{\"t\":\"send\",\"id\":7,\"to\":{\"user\":99},\"env\":[{\"device\":1,\"type\":\"msg\",\"body\":\"aGVsbG8=\"}]}",
                "{\"t\":\"ack\",\"id\":7,\"ts\":1700000000001}",
                "{\"t\":\"msg\",\"seq\":123,\"id\":7,\"from\":{\"user\":42,\"device\":1},\"type\":\"msg\",\"body\":\"aGVsbG8=\",\"ts\":1}",
                "{\"t\":\"recv\",\"seq\":123}",
                "{\"t\":\"receipt\",\"id\":7,\"to\":{\"user\":99},\"kind\":\"delivered\",\"ts\":1}",
                "{\"t\":\"read\",\"from\":{\"user\":42,\"device\":1},\"ids\":[7,8]}",
                "{\"t\":\"group.create\",\"req\":1,\"group\":\"g1\",\"name\":\"Family\",\"members\":[99,100]}",
                "{\"t\":\"result\",\"req\":1,\"ok\":true}",
                "{\"t\":\"result\",\"req\":2,\"ok\":true,\"members\":[42,99,100],\"admins\":[42]}",
                "{\"t\":\"group.event\",\"group\":\"g1\",\"event\":\"added\",\"by\":42,\"members\":[99,100]}",
                "{\"t\":\"send\",\"id\":8,\"to\":{\"group\":\"g1\"},\"env\":[{\"type\":\"skmsg\",\"body\":\"aGVsbG8=\"}]}",
                "{\"t\":\"sub\",\"user\":99}",
                "{\"t\":\"presence\",\"user\":99,\"online\":false,\"lastSeen\":1700000000005}",
                "{\"t\":\"unsub\",\"user\":99}",
                "{\"t\":\"typing\",\"to\":{\"user\":99},\"on\":true}",
                "{\"t\":\"typing\",\"from\":{\"user\":42},\"on\":true}"
            })
    void shouldReencodeCanonicalExamplesVerbatim(final String example) {
        assertThat(encode(decode(example))).isEqualTo(example);
    }
}
