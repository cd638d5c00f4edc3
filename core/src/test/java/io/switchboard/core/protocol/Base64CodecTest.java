package io.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The codec agrees with java.util.Base64 on every length and every byte value. */
class Base64CodecTest {
    @Test
    void shouldEncodeAndDecodeAsTheJdkDoes() {
        final Random random = new Random(42);
        for (int length = 0; length <= 300; length++) {
            final byte[] data = new byte[length];
            random.nextBytes(data);
            final String expected = Base64.getEncoder().encodeToString(data);

            final byte[] encoded = new byte[Base64Codec.encodedLength(length)];
            Base64Codec.encode(new UnsafeBuffer(data), 0, length, encoded, 0);
            assertThat(new String(encoded, StandardCharsets.US_ASCII)).isEqualTo(expected);

            final byte[] decoded = new byte[Base64Codec.maxDecodedLength(encoded.length) + 2];
            final int decodedLength = Base64Codec.decode(new UnsafeBuffer(encoded), 0, encoded.length, decoded, 2);
            assertThat(decodedLength).isEqualTo(length);
            assertThat(Arrays.copyOfRange(decoded, 2, 2 + length)).isEqualTo(data);
        }
    }

    @Test
    void shouldDecodeEveryByteValue() {
        final byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        final byte[] encoded = Base64.getEncoder().encode(all);
        final byte[] decoded = new byte[Base64Codec.maxDecodedLength(encoded.length)];

        final int length = Base64Codec.decode(new UnsafeBuffer(encoded), 0, encoded.length, decoded, 0);

        assertThat(Arrays.copyOf(decoded, length)).isEqualTo(all);
    }

    @Test
    void shouldReportEachKindOfInvalidInput() {
        assertThat(decode("abc")).isEqualTo(Base64Codec.BAD_LENGTH);
        assertThat(decode("ab\ncd==")).isEqualTo(Base64Codec.BAD_LENGTH);
        assertThat(decode("ab.d")).isEqualTo(Base64Codec.BAD_CHARACTER);
        assertThat(decode("abc\u00e9")).isEqualTo(Base64Codec.BAD_LENGTH);
        assertThat(decode("ab=dabcd")).isEqualTo(Base64Codec.BAD_PADDING);
        assertThat(decode("=abc")).isEqualTo(Base64Codec.BAD_PADDING);
        assertThat(decode("YQ==YQ==")).isEqualTo(Base64Codec.BAD_PADDING);
        assertThat(decode("YR==")).isEqualTo(Base64Codec.BAD_PADDING_BITS);
        assertThat(decode("YWJ=")).isEqualTo(Base64Codec.BAD_PADDING_BITS);
        assertThat(decode("YQ==")).isEqualTo(1);
        assertThat(decode("YWI=")).isEqualTo(2);
    }

    private static int decode(final String base64) {
        final byte[] bytes = base64.getBytes(StandardCharsets.UTF_8);
        return Base64Codec.decode(new UnsafeBuffer(bytes), 0, bytes.length, new byte[16], 0);
    }
}
