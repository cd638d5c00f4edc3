package io.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Wire names resolve from bytes, unknown names resolve to null, binary codes are stable. */
class WireEnumsTest {
    @Test
    void shouldNameEveryFrameTypeOfTheProtocol() {
        assertThat(Arrays.stream(FrameType.values()).map(FrameType::wireName))
                .containsExactly(
                        "hello",
                        "welcome",
                        "ping",
                        "pong",
                        "send",
                        "ack",
                        "msg",
                        "recv",
                        "receipt",
                        "read",
                        "error",
                        "group.create",
                        "group.add",
                        "group.remove",
                        "group.leave",
                        "group.info",
                        "result",
                        "group.event",
                        "sub",
                        "unsub",
                        "presence",
                        "typing",
                        "receipt.ack",
                        "group.invite",
                        "group.join",
                        "keys.low");
        for (final FrameType type : FrameType.values()) {
            assertThat(FrameType.fromWire(
                            buffer(type.wireName()), 1, type.wireName().length()))
                    .isSameAs(type);
            assertThat(FrameType.fromWire(text(type.wireName()))).isSameAs(type);
        }
        assertThat(FrameType.fromWire(buffer("group"), 1, 5)).isNull();
        assertThat(FrameType.fromWire(text("helloo"))).isNull();
        assertThat(FrameType.fromWire(text(""))).isNull();
    }

    @Test
    void shouldKeepEnvelopeTypeCodes() {
        assertThat(Arrays.stream(EnvelopeType.values()).map(EnvelopeType::wireName))
                .containsExactly("plain", "pkmsg", "msg", "skmsg");
        for (final EnvelopeType type : EnvelopeType.values()) {
            assertThat(type.code()).isEqualTo((byte) type.ordinal());
            assertThat(EnvelopeType.fromCode(type.code())).isSameAs(type);
            assertThat(EnvelopeType.fromWire(text(type.wireName()))).isSameAs(type);
            assertThat(EnvelopeType.fromWire(
                            buffer(type.wireName()), 1, type.wireName().length()))
                    .isSameAs(type);
        }
        assertThat(EnvelopeType.fromCode(4)).isNull();
        assertThat(EnvelopeType.fromCode(-1)).isNull();
        assertThat(EnvelopeType.fromWire(text("MSG"))).isNull();
    }

    @Test
    void shouldKeepErrorCodes() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::wireName))
                .containsExactly(
                        "auth",
                        "replaced",
                        "bad-frame",
                        "too-large",
                        "rate-limited",
                        "forbidden",
                        "unknown-recipient",
                        "devices",
                        "unavailable",
                        "internal");
        for (final ErrorCode code : ErrorCode.values()) {
            assertThat(code.code()).isEqualTo((byte) code.ordinal());
            assertThat(ErrorCode.fromCode(code.code())).isSameAs(code);
            assertThat(ErrorCode.fromWire(text(code.wireName()))).isSameAs(code);
        }
        assertThat(ErrorCode.fromCode(10)).isNull();
        assertThat(ErrorCode.fromWire(text("bad_frame"))).isNull();
    }

    @Test
    void shouldKeepReceiptAndGroupEventCodes() {
        assertThat(ReceiptKind.DELIVERED.code()).isEqualTo((byte) 0);
        assertThat(ReceiptKind.READ.code()).isEqualTo((byte) 1);
        assertThat(ReceiptKind.fromWire(text("read"))).isSameAs(ReceiptKind.READ);
        assertThat(ReceiptKind.fromCode(2)).isNull();
        assertThat(GroupEventKind.ADDED.code()).isEqualTo((byte) 0);
        assertThat(GroupEventKind.REMOVED.code()).isEqualTo((byte) 1);
        assertThat(GroupEventKind.LEFT.code()).isEqualTo((byte) 2);
        assertThat(GroupEventKind.fromCode(1)).isSameAs(GroupEventKind.REMOVED);
        assertThat(GroupEventKind.fromWire(buffer("left"), 1, 4)).isSameAs(GroupEventKind.LEFT);
        assertThat(GroupEventKind.fromWire(text("joined"))).isNull();
    }

    /** The name at offset 1 of a buffer, between two bytes that must not be read. */
    private static UnsafeBuffer buffer(final String name) {
        return new UnsafeBuffer(("x" + name + "x").getBytes(StandardCharsets.US_ASCII));
    }

    private static FrameText text(final String name) {
        final FrameText text = new FrameText();
        text.set(name);
        return text;
    }
}
