package io.switchboard.core.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A reusable holder of one string's UTF-8 bytes. Its array grows to the longest string it has held and is then
 * reused, so filling it allocates nothing once warmed up; {@link #toString()} is the only method that allocates.
 *
 * <p>Not thread-safe: it belongs to one {@link Frame} (or one codec), which is used by one thread at a time.
 */
public final class FrameText {
    private byte[] bytes;
    private int length;

    public FrameText() {
        this(16);
    }

    public FrameText(final int initialCapacity) {
        bytes = new byte[Math.max(1, initialCapacity)];
    }

    /** Length in UTF-8 bytes. */
    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    public byte byteAt(final int index) {
        Objects.checkIndex(index, length);
        return bytes[index];
    }

    public void clear() {
        length = 0;
    }

    /**
     * Replaces the content with {@code text} encoded as UTF-8; null clears. An unpaired surrogate becomes {@code
     * '?'}, as {@link String#getBytes} does.
     */
    public void set(final CharSequence text) {
        length = 0;
        if (text == null) {
            return;
        }
        final int chars = text.length();
        ensureCapacity(chars * 3);
        for (int i = 0; i < chars; i++) {
            final char c = text.charAt(i);
            if (c < 0x80) {
                bytes[length++] = (byte) c;
            } else {
                final int codePoint = codePointAt(text, i);
                if (codePoint > 0xFFFF) {
                    i++;
                }
                appendCodePoint(codePoint);
            }
        }
    }

    /** Replaces the content with {@code length} bytes of {@code src}, taken as UTF-8 without checking. */
    public void set(final DirectBuffer src, final int offset, final int length) {
        ensureCapacity(length);
        src.getBytes(offset, bytes, 0, length);
        this.length = length;
    }

    /** Replaces the content with a copy of {@code other}'s. */
    public void set(final FrameText other) {
        ensureCapacity(other.length);
        System.arraycopy(other.bytes, 0, bytes, 0, other.length);
        length = other.length;
    }

    /** Whether the content is {@code text} encoded as UTF-8; compares without allocating. */
    public boolean contentEquals(final CharSequence text) {
        int position = 0;
        final int chars = text.length();
        for (int i = 0; i < chars; i++) {
            final char c = text.charAt(i);
            if (c < 0x80) {
                if (position >= length || bytes[position] != c) {
                    return false;
                }
                position++;
            } else {
                final int codePoint = codePointAt(text, i);
                if (codePoint > 0xFFFF) {
                    i++;
                }
                position = matchCodePoint(codePoint, position);
                if (position < 0) {
                    return false;
                }
            }
        }
        return position == length;
    }

    /** Copies the bytes to {@code dst} at {@code offset}; an expandable {@code dst} grows as needed. */
    public void getBytes(final MutableDirectBuffer dst, final int offset) {
        dst.putBytes(offset, bytes, 0, length);
    }

    /** Decodes the bytes into a new String: for logs, tests and cold paths. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** The backing array; valid bytes are {@code [0, length())}. For the codecs only. */
    byte[] array() {
        return bytes;
    }

    void append(final byte b) {
        ensureCapacity(1);
        bytes[length++] = b;
    }

    void append(final DirectBuffer src, final int offset, final int count) {
        ensureCapacity(count);
        src.getBytes(offset, bytes, length, count);
        length += count;
    }

    static int utf8Length(final int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    void appendCodePoint(final int codePoint) {
        ensureCapacity(4);
        if (codePoint < 0x80) {
            bytes[length++] = (byte) codePoint;
        } else if (codePoint < 0x800) {
            bytes[length++] = (byte) (0xC0 | (codePoint >> 6));
            bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
        } else if (codePoint < 0x10000) {
            bytes[length++] = (byte) (0xE0 | (codePoint >> 12));
            bytes[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
            bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
        } else {
            bytes[length++] = (byte) (0xF0 | (codePoint >> 18));
            bytes[length++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
            bytes[length++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
            bytes[length++] = (byte) (0x80 | (codePoint & 0x3F));
        }
    }

    /** Ensures room for {@code extra} more bytes, doubling so that a run of appends costs amortised O(1). */
    void ensureCapacity(final int extra) {
        final int needed = length + extra;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }

    private static int codePointAt(final CharSequence text, final int index) {
        final char c = text.charAt(index);
        if (Character.isHighSurrogate(c) && index + 1 < text.length()) {
            final char next = text.charAt(index + 1);
            if (Character.isLowSurrogate(next)) {
                return Character.toCodePoint(c, next);
            }
        }
        return Character.isSurrogate(c) ? '?' : c;
    }

    /** Position after {@code codePoint}'s UTF-8 bytes if they are at {@code position}, else -1. */
    private int matchCodePoint(final int codePoint, final int position) {
        final int count = utf8Length(codePoint);
        if (position + count > length) {
            return -1;
        }
        final int lead = bytes[position] & 0xFF;
        final int expectedLead = count == 1
                ? codePoint
                : count == 2
                        ? 0xC0 | (codePoint >> 6)
                        : count == 3 ? 0xE0 | (codePoint >> 12) : 0xF0 | (codePoint >> 18);
        if (lead != expectedLead) {
            return -1;
        }
        for (int i = 1; i < count; i++) {
            final int shift = 6 * (count - 1 - i);
            if ((bytes[position + i] & 0xFF) != (0x80 | ((codePoint >> shift) & 0x3F))) {
                return -1;
            }
        }
        return position + count;
    }
}
