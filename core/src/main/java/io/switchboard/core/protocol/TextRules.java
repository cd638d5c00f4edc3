package io.switchboard.core.protocol;

import org.agrona.DirectBuffer;

/**
 * The byte-level rules of the protocol's texts, shared by both codecs so that {@code sb.json.v1} and {@code sb.bin.v1}
 * accept exactly the same values: UTF-8 as RFC 3629 has it, the id charset of group ids, invite codes and media ids,
 * the token charset. Stateless.
 */
final class TextRules {
    private TextRules() {}

    /** {@code [A-Za-z0-9._-]}: safe in URLs, file names and metric tags. */
    static boolean isIdByte(final byte b) {
        return (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b >= '0' && b <= '9')
                || b == '.'
                || b == '_'
                || b == '-';
    }

    /** Visible ASCII (0x21..0x7E), so that a token fits an HTTP header unquoted. */
    static boolean isTokenByte(final byte b) {
        return b >= 0x21 && b <= 0x7E;
    }

    /** Whether {@code text} is an id: 1.. {@link #isIdByte} characters. */
    static boolean isId(final FrameText text) {
        return allOf(text, false);
    }

    /** Whether {@code text} is a token: 1.. {@link #isTokenByte} characters. */
    static boolean isToken(final FrameText text) {
        return allOf(text, true);
    }

    private static boolean allOf(final FrameText text, final boolean token) {
        final byte[] bytes = text.array();
        final int length = text.length();
        for (int i = 0; i < length; i++) {
            if (!(token ? isTokenByte(bytes[i]) : isIdByte(bytes[i]))) {
                return false;
            }
        }
        return length > 0;
    }

    /**
     * The position after the UTF-8 sequence that starts at {@code p} (its lead byte not ASCII), or -1 when it is not
     * valid RFC 3629 UTF-8 (overlong forms, surrogates, code points above U+10FFFF) or runs past {@code limit}.
     */
    static int utf8SequenceEnd(final DirectBuffer buffer, final int p, final int limit) {
        final int lead = buffer.getByte(p) & 0xFF;
        final int continuation;
        int low = 0x80;
        int high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            continuation = 1;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            continuation = 2;
            if (lead == 0xE0) {
                low = 0xA0;
            } else if (lead == 0xED) {
                high = 0x9F;
            }
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            continuation = 3;
            if (lead == 0xF0) {
                low = 0x90;
            } else if (lead == 0xF4) {
                high = 0x8F;
            }
        } else {
            return -1;
        }
        for (int i = 1; i <= continuation; i++) {
            if (p + i >= limit) {
                return -1;
            }
            final int b = buffer.getByte(p + i) & 0xFF;
            if (b < low || b > high) {
                return -1;
            }
            low = 0x80;
            high = 0xBF;
        }
        return p + 1 + continuation;
    }

    /** Whether {@code length} bytes at {@code offset} are valid UTF-8. */
    static boolean isUtf8(final DirectBuffer buffer, final int offset, final int length) {
        final int limit = offset + length;
        int p = offset;
        while (p < limit) {
            if (buffer.getByte(p) >= 0) {
                p++;
            } else if ((p = utf8SequenceEnd(buffer, p, limit)) < 0) {
                return false;
            }
        }
        return true;
    }
}
