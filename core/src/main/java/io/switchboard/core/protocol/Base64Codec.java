package io.switchboard.core.protocol;

import java.util.Arrays;
import org.agrona.DirectBuffer;

/**
 * Base64 with the standard alphabet and padding (RFC 4648 section 4), between Agrona buffers and byte arrays,
 * without allocating. Decoding is strict: whole quads only, padding only at the end, no whitespace, and zero
 * padding bits, so every body has exactly one encoding and a decoded frame re-encodes byte for byte.
 */
final class Base64Codec {
    /** {@link #decode} results below zero. */
    static final int BAD_LENGTH = -1;

    static final int BAD_CHARACTER = -2;
    static final int BAD_PADDING = -3;
    static final int BAD_PADDING_BITS = -4;

    private static final byte[] ALPHABET =
            WireNames.ascii("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    private static final byte[] VALUES = new byte[256];

    static {
        Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
        }
    }

    private Base64Codec() {}

    static int encodedLength(final int length) {
        return (length + 2) / 3 * 4;
    }

    /** Upper bound of the decoded length of {@code length} base64 characters. */
    static int maxDecodedLength(final int length) {
        return length / 4 * 3;
    }

    /** Encodes {@code length} bytes of {@code src}; {@code dst} must have {@link #encodedLength} bytes of room. */
    static void encode(final DirectBuffer src, final int offset, final int length, final byte[] dst, int dstOffset) {
        final int end = offset + length;
        int i = offset;
        for (; i + 3 <= end; i += 3) {
            final int bits =
                    (src.getByte(i) & 0xFF) << 16 | (src.getByte(i + 1) & 0xFF) << 8 | src.getByte(i + 2) & 0xFF;
            dst[dstOffset++] = ALPHABET[bits >>> 18];
            dst[dstOffset++] = ALPHABET[(bits >>> 12) & 0x3F];
            dst[dstOffset++] = ALPHABET[(bits >>> 6) & 0x3F];
            dst[dstOffset++] = ALPHABET[bits & 0x3F];
        }
        final int remaining = end - i;
        if (remaining > 0) {
            final int bits = (src.getByte(i) & 0xFF) << 16 | (remaining == 2 ? (src.getByte(i + 1) & 0xFF) << 8 : 0);
            dst[dstOffset++] = ALPHABET[bits >>> 18];
            dst[dstOffset++] = ALPHABET[(bits >>> 12) & 0x3F];
            dst[dstOffset++] = remaining == 2 ? ALPHABET[(bits >>> 6) & 0x3F] : (byte) '=';
            dst[dstOffset] = '=';
        }
    }

    /**
     * Decodes {@code length} characters of {@code src} into {@code dst}, which must have {@link #maxDecodedLength}
     * bytes of room. Returns the decoded length, or {@link #BAD_LENGTH}, {@link #BAD_CHARACTER}, {@link
     * #BAD_PADDING} or {@link #BAD_PADDING_BITS}.
     */
    static int decode(
            final DirectBuffer src, final int offset, final int length, final byte[] dst, final int dstOffset) {
        if ((length & 3) != 0) {
            return BAD_LENGTH;
        }
        if (length == 0) {
            return 0;
        }
        final int last = offset + length - 1;
        final int padding = src.getByte(last) != '=' ? 0 : src.getByte(last - 1) != '=' ? 1 : 2;
        final int fullEnd = padding == 0 ? offset + length : offset + length - 4;
        int out = dstOffset;
        for (int i = offset; i < fullEnd; i += 4) {
            final int a = value(src.getByte(i));
            final int b = value(src.getByte(i + 1));
            final int c = value(src.getByte(i + 2));
            final int d = value(src.getByte(i + 3));
            if ((a | b | c | d) < 0) {
                return invalidQuad(src, i, 4);
            }
            final int bits = a << 18 | b << 12 | c << 6 | d;
            dst[out++] = (byte) (bits >>> 16);
            dst[out++] = (byte) (bits >>> 8);
            dst[out++] = (byte) bits;
        }
        if (padding > 0) {
            final int a = value(src.getByte(fullEnd));
            final int b = value(src.getByte(fullEnd + 1));
            final int c = padding == 1 ? value(src.getByte(fullEnd + 2)) : 0;
            if ((a | b | c) < 0) {
                return invalidQuad(src, fullEnd, 4 - padding);
            }
            // Bits below the last whole byte must be zero: otherwise two encodings would decode to the same body.
            if (padding == 2 ? (b & 0x0F) != 0 : (c & 0x03) != 0) {
                return BAD_PADDING_BITS;
            }
            final int bits = a << 18 | b << 12 | c << 6;
            dst[out++] = (byte) (bits >>> 16);
            if (padding == 1) {
                dst[out++] = (byte) (bits >>> 8);
            }
        }
        return out - dstOffset;
    }

    private static int value(final byte c) {
        return VALUES[c & 0xFF];
    }

    private static int invalidQuad(final DirectBuffer src, final int offset, final int count) {
        for (int i = offset; i < offset + count; i++) {
            if (src.getByte(i) == '=') {
                return BAD_PADDING;
            }
        }
        return BAD_CHARACTER;
    }
}
