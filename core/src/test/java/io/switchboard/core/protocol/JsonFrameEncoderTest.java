package io.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class JsonFrameEncoderTest {
    private final JsonFrameEncoder encoder = new JsonFrameEncoder();

    @Test
    void shouldWriteAtAnOffsetGrowingAnExpandableBuffer() {
        final Frame frame =
                new Frame().reset(FrameType.SEND).id(1).toUser(2).addEnvelope(1, EnvelopeType.MSG, new byte[3000]);
        final ExpandableArrayBuffer heap = new ExpandableArrayBuffer(16);
        final ExpandableDirectByteBuffer direct = new ExpandableDirectByteBuffer(16);
        final String expected = encoder.encodeToString(frame);

        final int heapLength = encoder.encode(frame, heap, 7);
        final int directLength = encoder.encode(frame, direct, 3);

        assertThat(heapLength).isEqualTo(expected.length()).isEqualTo(directLength);
        assertThat(heap.getStringWithoutLengthUtf8(7, heapLength)).isEqualTo(expected);
        assertThat(direct.getStringWithoutLengthUtf8(3, directLength)).isEqualTo(expected);
    }

    @Test
    void shouldRefuseAFixedBufferThatIsTooSmall() {
        final Frame frame = new Frame().reset(FrameType.PONG).ts(1_700_000_000_000L);

        assertThatThrownBy(() -> encoder.encode(frame, new UnsafeBuffer(new byte[8]), 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharacters() {
        final Frame frame =
                new Frame().reset(FrameType.ERROR).code(ErrorCode.INTERNAL).message("a\"b\\c\nd\u0001\u001f\u00e9/");

        assertThat(encoder.encodeToString(frame))
                .isEqualTo(
                        "{\"t\":\"error\",\"code\":\"internal\",\"message\":\"a\\\"b\\\\c\\u000ad\\u0001\\u001f\u00e9/\"}");
    }

    @Test
    void shouldWriteTheRequestAndTheWaitOfARateLimitedError() {
        final Frame frame = new Frame()
                .reset(FrameType.ERROR)
                .code(ErrorCode.RATE_LIMITED)
                .req(0)
                .retryAfterMs(1500);

        assertThat(encoder.encodeToString(frame))
                .isEqualTo("{\"t\":\"error\",\"code\":\"rate-limited\",\"req\":0,\"retryAfterMs\":1500}");
        assertThat(encoder.encodeToString(frame.reset(FrameType.ERROR).code(ErrorCode.AUTH)))
                .isEqualTo("{\"t\":\"error\",\"code\":\"auth\"}");
    }

    @Test
    void shouldOmitOptionalFieldsThatAreNotSet() {
        assertThat(encoder.encodeToString(
                        new Frame().reset(FrameType.PRESENCE).user(9).online(true)))
                .isEqualTo("{\"t\":\"presence\",\"user\":9,\"online\":true}");
        assertThat(encoder.encodeToString(
                        new Frame().reset(FrameType.GROUP_CREATE).req(1).group("g")))
                .isEqualTo("{\"t\":\"group.create\",\"req\":1,\"group\":\"g\",\"members\":[]}");
        assertThat(encoder.encodeToString(new Frame()
                        .reset(FrameType.SEND)
                        .id(1)
                        .toGroup("g")
                        .addEnvelope(0, EnvelopeType.SKMSG, new byte[] {1})))
                .isEqualTo(
                        "{\"t\":\"send\",\"id\":1,\"to\":{\"group\":\"g\"},\"env\":[{\"type\":\"skmsg\",\"body\":\"AQ==\"}]}");
    }

    @Test
    void shouldRemoveOptionalFieldsSetToNull() {
        final Frame frame = new Frame()
                .reset(FrameType.MSG)
                .seq(1)
                .id(2)
                .from(3, 4)
                .ts(5)
                .addEnvelope(0, EnvelopeType.MSG, new byte[0])
                .media("m", 1)
                .media((CharSequence) null, 0);

        assertThat(encoder.encodeToString(frame))
                .isEqualTo(
                        "{\"t\":\"msg\",\"seq\":1,\"id\":2,\"from\":{\"user\":3,\"device\":4},\"type\":\"msg\",\"body\":\"\",\"ts\":5}");
    }

    @Test
    void shouldSetMediaFromBytesWithoutAllocating() {
        final byte[] id = "xmedia-7x".getBytes(StandardCharsets.US_ASCII);
        final Frame frame = new Frame()
                .reset(FrameType.SEND)
                .id(1)
                .toUser(2)
                .addEnvelope(1, EnvelopeType.MSG, new UnsafeBuffer(new byte[] {9, 1, 2, 9}), 1, 2)
                .media(new UnsafeBuffer(id), 1, 7, 42);

        assertThat(encoder.encodeToString(frame))
                .endsWith(
                        "\"env\":[{\"device\":1,\"type\":\"msg\",\"body\":\"AQI=\"}],\"media\":{\"id\":\"media-7\",\"size\":42}}");
    }

    @Test
    void shouldRefuseFramesMissingWhatTheyNeed() {
        assertThatThrownBy(() -> encoder.encode(new Frame())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> encoder.encode(new Frame().reset(FrameType.ERROR)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'code'");
        assertThatThrownBy(() -> encoder.encode(new Frame().reset(FrameType.MSG).seq(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("envelope");
    }

    @Test
    void shouldRenderFramesReadably() {
        assertThat(new Frame().reset(FrameType.RECV).seq(3)).hasToString("{\"t\":\"recv\",\"seq\":3}");
        assertThat(new Frame()).hasToString("Frame{}");
        assertThat(new Frame().reset(FrameType.ERROR).toString()).contains("incomplete");
    }
}
