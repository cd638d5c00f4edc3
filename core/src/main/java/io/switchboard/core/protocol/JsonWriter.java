package io.switchboard.core.protocol;

import java.util.Arrays;
import org.agrona.DirectBuffer;

/**
 * Writes compact JSON into its own growable array; the encoder copies the result out in one call. Writing to an
 * array, not byte by byte through a {@code MutableDirectBuffer} interface, keeps the per-byte cost to a store.
 *
 * <p>Commas are implied: a key or an element right after {@code '{'} or {@code '['} gets none, any other one does.
 *
 * <p>Not thread-safe: one per encoder.
 */
final class JsonWriter {
    private static final byte[] HEX = WireNames.ascii("0123456789abcdef");
    private static final byte[] TRUE = WireNames.ascii("true");
    private static final byte[] FALSE = WireNames.ascii("false");

    private byte[] bytes = new byte[256];
    private int length;

    void reset() {
        length = 0;
    }

    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    void beginObject() {
        ensureCapacity(1);
        bytes[length++] = '{';
    }

    void endObject() {
        ensureCapacity(1);
        bytes[length++] = '}';
    }

    void beginArray() {
        ensureCapacity(1);
        bytes[length++] = '[';
    }

    void endArray() {
        ensureCapacity(1);
        bytes[length++] = ']';
    }

    /** Writes {@code "name":}, preceded by a comma unless it is the object's first key. */
    void key(final JsonField field) {
        final byte[] key = field.key;
        ensureCapacity(key.length + 1);
        separate();
        System.arraycopy(key, 0, bytes, length, key.length);
        length += key.length;
    }

    /** Starts an array element: a comma unless it is the first. */
    void element() {
        ensureCapacity(1);
        separate();
    }

    /** A string known to need no escaping (wire names). */
    void quotedAscii(final byte[] ascii) {
        ensureCapacity(ascii.length + 2);
        bytes[length++] = '"';
        System.arraycopy(ascii, 0, bytes, length, ascii.length);
        length += ascii.length;
        bytes[length++] = '"';
    }

    /** A string, escaping quote, backslash and control characters; other UTF-8 bytes pass through. */
    void string(final FrameText text) {
        final byte[] src = text.array();
        final int count = text.length();
        ensureCapacity(count * 6 + 2);
        bytes[length++] = '"';
        for (int i = 0; i < count; i++) {
            final byte b = src[i];
            if (b == '"' || b == '\\') {
                bytes[length++] = '\\';
                bytes[length++] = b;
            } else if (b >= 0 && b < 0x20) {
                bytes[length++] = '\\';
                bytes[length++] = 'u';
                bytes[length++] = '0';
                bytes[length++] = '0';
                bytes[length++] = HEX[b >> 4];
                bytes[length++] = HEX[b & 0xF];
            } else {
                bytes[length++] = b;
            }
        }
        bytes[length++] = '"';
    }

    void number(final long value) {
        ensureCapacity(20);
        if (value == 0) {
            bytes[length++] = '0';
            return;
        }
        if (value < 0) {
            bytes[length++] = '-';
        }
        // Digits of a non-positive value, so that Long.MIN_VALUE needs no special case.
        long rest = value < 0 ? value : -value;
        int digits = 0;
        for (long n = rest; n != 0; n /= 10) {
            digits++;
        }
        final int end = length + digits;
        for (int p = end - 1; rest != 0; p--) {
            bytes[p] = (byte) ('0' - rest % 10);
            rest /= 10;
        }
        length = end;
    }

    void bool(final boolean value) {
        literal(value ? TRUE : FALSE);
    }

    /** {@code count} bytes of {@code src} as a base64 string. */
    void base64(final DirectBuffer src, final int offset, final int count) {
        final int encoded = Base64Codec.encodedLength(count);
        ensureCapacity(encoded + 2);
        bytes[length++] = '"';
        Base64Codec.encode(src, offset, count, bytes, length);
        length += encoded;
        bytes[length++] = '"';
    }

    private void literal(final byte[] literal) {
        ensureCapacity(literal.length);
        System.arraycopy(literal, 0, bytes, length, literal.length);
        length += literal.length;
    }

    /** Callers have ensured one byte of room. */
    private void separate() {
        if (length > 0) {
            final byte last = bytes[length - 1];
            if (last != '{' && last != '[') {
                bytes[length++] = ',';
            }
        }
    }

    private void ensureCapacity(final int extra) {
        final int needed = length + extra;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }
}
