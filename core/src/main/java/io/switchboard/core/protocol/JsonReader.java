package io.switchboard.core.protocol;

import org.agrona.DirectBuffer;

/**
 * A pull reader of JSON tokens over a {@link DirectBuffer}: strict RFC 8259 syntax, strings validated as UTF-8 and
 * unescaped into a {@link FrameText}, integers parsed without wrapping. It knows nothing of frames; the decoder
 * drives it and sets the field context that error messages name.
 *
 * <p>Value readers that can meet the wrong JSON type ({@link #readInteger}, {@link #readBoolean}, {@link
 * #readString}) report it by return value, so that the caller words the error for its field; malformed JSON is
 * thrown as a {@link ProtocolException} here.
 *
 * <p>Not thread-safe: one per decoder.
 */
final class JsonReader {
    static final int STRING = 0;
    static final int STRING_TOO_LONG = 1;
    static final int NOT_A_STRING = 2;

    private static final byte[] TRUE = WireNames.ascii("true");
    private static final byte[] FALSE = WireNames.ascii("false");
    private static final byte[] NULL = WireNames.ascii("null");

    private DirectBuffer buffer;
    private int start;
    private int position;
    private int limit;
    /** Set by a string scan whose string outgrew its maxBytes: copying stopped, validation went on. */
    private boolean overflow;
    /** Where {@link #readRawString}'s string starts. */
    private int spanStart;

    // Names the value being read in error messages; references only, so setting it allocates nothing.
    private String contextField;
    private FrameText contextKey;
    private String contextParent;
    private int contextIndex;

    void wrap(final DirectBuffer buffer, final int offset, final int length) {
        this.buffer = buffer;
        start = offset;
        position = offset;
        limit = offset + length;
        noContext();
    }

    int position() {
        return position;
    }

    void position(final int position) {
        this.position = position;
    }

    /** Errors from here on are about field {@code field} (of {@code parent}, element {@code index} if not -1). */
    void context(final String field, final String parent, final int index) {
        contextField = field;
        contextKey = null;
        contextParent = parent;
        contextIndex = index;
    }

    /** As {@link #context(String, String, int)} for an unknown key, whose text is read only if an error needs it. */
    void context(final FrameText key, final String parent, final int index) {
        contextField = null;
        contextKey = key;
        contextParent = parent;
        contextIndex = index;
    }

    void noContext() {
        contextField = null;
        contextKey = null;
        contextParent = null;
        contextIndex = -1;
    }

    /** The next non-whitespace byte (0..255) without consuming it, or -1 at the end of input. */
    int peek() {
        int p = position;
        while (p < limit) {
            final int b = buffer.getByte(p) & 0xFF;
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                position = p;
                return b;
            }
            p++;
        }
        position = p;
        return -1;
    }

    /** Consumes {@code c} if it is the next token. */
    boolean consumeIf(final char c) {
        if (peek() == c) {
            position++;
            return true;
        }
        return false;
    }

    void expectEnd() {
        if (peek() != -1) {
            throw syntax("unexpected data after the frame object", position);
        }
    }

    /** After {@code '{'}: true if a member follows (positioned at its key), false after consuming {@code '}'}. */
    boolean firstMember() {
        final int b = peek();
        if (b == '}') {
            position++;
            return false;
        }
        if (b != '"') {
            throw syntax(b < 0 ? "unexpected end of input" : "expected a key or '}'", position);
        }
        return true;
    }

    /** After a member's value: true if another member follows, false after consuming {@code '}'}. */
    boolean nextMember() {
        final int b = peek();
        if (b == '}') {
            position++;
            return false;
        }
        if (b != ',') {
            throw syntax(b < 0 ? "unexpected end of input" : "expected ',' or '}'", position);
        }
        position++;
        if (peek() != '"') {
            throw syntax(position >= limit ? "unexpected end of input" : "expected a key", position);
        }
        return true;
    }

    /** After {@code '['}: true if an element follows, false after consuming {@code ']'}. */
    boolean firstElement() {
        final int b = peek();
        if (b == ']') {
            position++;
            return false;
        }
        if (b < 0) {
            throw syntax("unexpected end of input", position);
        }
        return true;
    }

    /** After an element: true if another element follows, false after consuming {@code ']'}. */
    boolean nextElement() {
        final int b = peek();
        if (b == ']') {
            position++;
            return false;
        }
        if (b != ',') {
            throw syntax(b < 0 ? "unexpected end of input" : "expected ',' or ']'", position);
        }
        position++;
        return true;
    }

    /**
     * Reads a member's key (positioned at its quote) and its colon. Returns false when the key has more than {@code
     * maxBytes} bytes: {@code dst} then holds a prefix, which may look like a known key and must not be matched.
     */
    boolean readKey(final FrameText dst, final int maxBytes) {
        noContext();
        final boolean fits = scanString(dst, maxBytes);
        if (peek() != ':') {
            throw syntax(position >= limit ? "unexpected end of input" : "expected ':'", position);
        }
        position++;
        return fits;
    }

    /** Consumes {@code null} if it is the next token. */
    boolean consumeNull() {
        return peek() == 'n' && consumeLiteral(NULL);
    }

    /** 1 for {@code true}, 0 for {@code false}, -1 (nothing consumed) for any other token. */
    int readBoolean() {
        final int b = peek();
        if (b == 't' && consumeLiteral(TRUE)) {
            return 1;
        }
        if (b == 'f' && consumeLiteral(FALSE)) {
            return 0;
        }
        return -1;
    }

    /**
     * A JSON integer in 0..{@code max}, or -1 for anything else (negative, fraction, exponent, leading zero, out of
     * range, not a number). Stops before overflow, so no input wraps around into range.
     */
    long readInteger(final long max) {
        int p = peek() < 0 ? limit : position;
        if (p >= limit) {
            return -1;
        }
        int b = buffer.getByte(p);
        if (b < '0' || b > '9') {
            return -1;
        }
        long value = b - '0';
        p++;
        if (value == 0) {
            if (p < limit && isDigit(buffer.getByte(p))) {
                return -1;
            }
        } else {
            while (p < limit && isDigit(b = buffer.getByte(p))) {
                final int digit = b - '0';
                if (value > (max - digit) / 10) {
                    return -1;
                }
                value = value * 10 + digit;
                p++;
            }
        }
        if (value > max) {
            return -1;
        }
        if (p < limit) {
            b = buffer.getByte(p);
            if (b == '.' || b == 'e' || b == 'E') {
                return -1;
            }
        }
        position = p;
        return value;
    }

    /**
     * Reads a string value into {@code dst} (cleared first). Returns {@link #NOT_A_STRING} without consuming when
     * the next token is not a string, and {@link #STRING_TOO_LONG} when it has more than {@code maxBytes} UTF-8
     * bytes: then the string is still validated and consumed, but {@code dst} holds only a prefix.
     */
    int readString(final FrameText dst, final int maxBytes) {
        if (peek() != '"') {
            return NOT_A_STRING;
        }
        return scanString(dst, maxBytes) ? STRING : STRING_TOO_LONG;
    }

    /**
     * The extent of a string value without escapes, for bodies too large to copy: returns its length and consumes
     * it, with {@link #spanStart} set. Returns -1 (nothing consumed) if the next token is not a string or the
     * string has an escape: the caller then falls back to {@link #readString}. The bytes are not validated.
     */
    int readRawString() {
        if (peek() != '"') {
            return -1;
        }
        final int begin = position + 1;
        for (int p = begin; p < limit; p++) {
            final byte b = buffer.getByte(p);
            if (b == '"') {
                spanStart = begin;
                position = p + 1;
                return p - begin;
            }
            if (b == '\\') {
                return -1;
            }
        }
        throw syntax("unterminated string", position);
    }

    int spanStart() {
        return spanStart;
    }

    DirectBuffer buffer() {
        return buffer;
    }

    /** Skips any JSON value, validating it; {@code depth} is the nesting level a container here would have. */
    void skipValue(final int depth) {
        final int b = peek();
        switch (b) {
            case '"' -> scanString(null, 0);
            case '{' -> {
                checkDepth(depth);
                position++;
                boolean more = firstMember();
                while (more) {
                    scanString(null, 0);
                    if (peek() != ':') {
                        throw syntax("expected ':'", position);
                    }
                    position++;
                    skipValue(depth + 1);
                    more = nextMember();
                }
            }
            case '[' -> {
                checkDepth(depth);
                position++;
                boolean more = firstElement();
                while (more) {
                    skipValue(depth + 1);
                    more = nextElement();
                }
            }
            case 't' -> expectLiteral(TRUE);
            case 'f' -> expectLiteral(FALSE);
            case 'n' -> expectLiteral(NULL);
            case -1 -> throw syntax("unexpected end of input", position);
            default -> {
                if (b == '-' || isDigit(b)) {
                    skipNumber();
                } else {
                    throw syntax("expected a JSON value", position);
                }
            }
        }
    }

    /** An error about the current context's value: {@code field 'x': problem}, or malformed JSON without one. */
    ProtocolException error(final String problem) {
        final String field = contextField != null ? contextField : contextKey != null ? contextKey.toString() : null;
        if (field == null) {
            return new ProtocolException("malformed JSON: " + problem);
        }
        return ProtocolException.badField(field, contextParent, contextIndex, problem);
    }

    private ProtocolException syntax(final String problem, final int at) {
        return error(problem + " at offset " + (at - start));
    }

    private void checkDepth(final int depth) {
        if (depth > ProtocolLimits.MAX_NESTING) {
            throw error("nested deeper than " + ProtocolLimits.MAX_NESTING + " levels");
        }
    }

    private boolean consumeLiteral(final byte[] literal) {
        if (position + literal.length > limit) {
            return false;
        }
        for (int i = 0; i < literal.length; i++) {
            if (buffer.getByte(position + i) != literal[i]) {
                return false;
            }
        }
        position += literal.length;
        return true;
    }

    private void expectLiteral(final byte[] literal) {
        if (!consumeLiteral(literal)) {
            throw syntax("invalid literal", position);
        }
    }

    /** -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    private void skipNumber() {
        int p = position;
        if (byteAt(p) == '-') {
            p++;
        }
        final int first = byteAt(p);
        if (first == '0') {
            p++;
        } else if (first >= '1' && first <= '9') {
            p = skipDigits(p);
        } else {
            throw syntax("invalid number", p);
        }
        if (byteAt(p) == '.') {
            p = skipRequiredDigits(p + 1);
        }
        final int e = byteAt(p);
        if (e == 'e' || e == 'E') {
            p++;
            final int sign = byteAt(p);
            if (sign == '+' || sign == '-') {
                p++;
            }
            p = skipRequiredDigits(p);
        }
        position = p;
    }

    private int skipRequiredDigits(final int p) {
        if (!isDigit(byteAt(p))) {
            throw syntax("invalid number", p);
        }
        return skipDigits(p);
    }

    private int skipDigits(int p) {
        while (p < limit && isDigit(buffer.getByte(p))) {
            p++;
        }
        return p;
    }

    private int byteAt(final int p) {
        return p < limit ? buffer.getByte(p) & 0xFF : -1;
    }

    private static boolean isDigit(final int b) {
        return b >= '0' && b <= '9';
    }

    /**
     * Consumes the string at {@code position} (its opening quote), validating escapes and UTF-8. Copies its
     * unescaped bytes to {@code dst} when not null, in runs between escapes. Returns false if it had more than
     * {@code maxBytes} bytes.
     */
    private boolean scanString(final FrameText dst, final int maxBytes) {
        if (dst != null) {
            dst.clear();
        }
        overflow = false;
        int p = position + 1;
        int runStart = p;
        while (true) {
            if (p >= limit) {
                throw syntax("unterminated string", position);
            }
            final int b = buffer.getByte(p) & 0xFF;
            if (b == '"') {
                copyRun(dst, maxBytes, runStart, p);
                position = p + 1;
                return !overflow;
            } else if (b == '\\') {
                copyRun(dst, maxBytes, runStart, p);
                p = unescape(dst, maxBytes, p);
                runStart = p;
            } else if (b < 0x20) {
                throw syntax("unescaped control character in string", p);
            } else if (b < 0x80) {
                p++;
            } else {
                p = skipUtf8Sequence(p);
            }
        }
    }

    private void copyRun(final FrameText dst, final int maxBytes, final int from, final int to) {
        final int count = to - from;
        if (dst == null || count == 0 || overflow) {
            return;
        }
        if (dst.length() + count > maxBytes) {
            overflow = true;
        } else {
            dst.append(buffer, from, count);
        }
    }

    /** Decodes the escape at {@code p} (its backslash) into {@code dst}; returns the position after it. */
    private int unescape(final FrameText dst, final int maxBytes, final int p) {
        final int c = byteAt(p + 1);
        final int codePoint;
        int next = p + 2;
        switch (c) {
            case '"', '\\', '/' -> codePoint = c;
            case 'b' -> codePoint = '\b';
            case 'f' -> codePoint = '\f';
            case 'n' -> codePoint = '\n';
            case 'r' -> codePoint = '\r';
            case 't' -> codePoint = '\t';
            case 'u' -> {
                final int unit = hex4(p + 2);
                next = p + 6;
                if (Character.isHighSurrogate((char) unit)) {
                    final int low = byteAt(next) == '\\' && byteAt(next + 1) == 'u' ? hex4(next + 2) : -1;
                    if (low < 0 || !Character.isLowSurrogate((char) low)) {
                        throw syntax("lone surrogate escape", p);
                    }
                    codePoint = Character.toCodePoint((char) unit, (char) low);
                    next += 6;
                } else if (Character.isLowSurrogate((char) unit)) {
                    throw syntax("lone surrogate escape", p);
                } else {
                    codePoint = unit;
                }
            }
            case -1 -> throw syntax("unterminated string", p);
            default -> throw syntax("invalid escape", p);
        }
        if (dst != null && !overflow) {
            if (dst.length() + FrameText.utf8Length(codePoint) > maxBytes) {
                overflow = true;
            } else {
                dst.appendCodePoint(codePoint);
            }
        }
        return next;
    }

    private int hex4(final int p) {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            final int digit = Character.digit(byteAt(p + i), 16);
            if (digit < 0) {
                throw syntax("invalid \\u escape", p - 2);
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** Validates the UTF-8 sequence led by the byte at {@code p}; returns the position after it. */
    private int skipUtf8Sequence(final int p) {
        final int end = TextRules.utf8SequenceEnd(buffer, p, limit);
        if (end < 0) {
            throw syntax("invalid UTF-8", p);
        }
        return end;
    }
}
