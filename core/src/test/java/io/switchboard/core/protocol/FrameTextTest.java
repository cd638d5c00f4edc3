package io.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameTextTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "ascii", "caf\u00e9", "\u4e2d\u6587", "\ud83d\ude00 emoji", "nul\u0000 and \u007f"})
    void shouldHoldTheUtf8BytesOfWhatItIsSet(final String text) {
        final FrameText frameText = new FrameText(1);

        frameText.set(text);

        assertThat(frameText.toString()).isEqualTo(text);
        assertThat(frameText.length()).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        assertThat(frameText.isEmpty()).isEqualTo(text.isEmpty());
        assertThat(frameText.contentEquals(text)).isTrue();
        assertThat(frameText.contentEquals(text + "x")).isFalse();
        assertThat(frameText.contentEquals("x" + text)).isFalse();
    }

    @Test
    void shouldReplaceUnpairedSurrogatesAsStringDoes() {
        final String text = "a\ud83d b\ude00";
        final FrameText frameText = new FrameText();

        frameText.set(text);

        assertThat(frameText.toString())
                .isEqualTo(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        assertThat(frameText.contentEquals(text)).isTrue();
    }

    @Test
    void shouldTellApartTextsThatDifferOnlyInOneMultiByteCharacter() {
        final FrameText frameText = new FrameText();
        frameText.set("caf\u00e9");

        assertThat(frameText.contentEquals("caf\u00e8")).isFalse();
        assertThat(frameText.contentEquals("cafe")).isFalse();
    }

    @Test
    void shouldCopyToAndFromBuffers() {
        final FrameText frameText = new FrameText(2);
        final byte[] bytes = "group-1".getBytes(StandardCharsets.US_ASCII);
        frameText.set(new UnsafeBuffer(bytes), 2, 4);
        final ExpandableArrayBuffer dst = new ExpandableArrayBuffer(1);

        frameText.getBytes(dst, 3);

        assertThat(frameText.toString()).isEqualTo("oup-");
        assertThat(frameText.byteAt(0)).isEqualTo((byte) 'o');
        assertThat(dst.getStringWithoutLengthAscii(3, 4)).isEqualTo("oup-");
    }

    @Test
    void shouldClearAndCheckIndexes() {
        final FrameText frameText = new FrameText();
        frameText.set("abc");

        frameText.clear();

        assertThat(frameText.isEmpty()).isTrue();
        assertThat(frameText.contentEquals("")).isTrue();
        assertThatThrownBy(() -> frameText.byteAt(0)).isInstanceOf(IndexOutOfBoundsException.class);
        frameText.set((CharSequence) null);
        assertThat(frameText.isEmpty()).isTrue();
    }
}
