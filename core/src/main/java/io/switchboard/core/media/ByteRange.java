package io.switchboard.core.media;

/**
 * The part of a blob a {@code Range} header asks for (RFC 9110 section 14): one range of bytes, {@code bytes=a-b},
 * {@code bytes=a-} or the suffix {@code bytes=-n}. A header that is absent, malformed or asks for several ranges is
 * ignored and the whole blob is served, as the RFC allows; a range that starts past the end is unsatisfiable (416).
 *
 * @param offset the first byte
 * @param length bytes from {@code offset}; -1 when unsatisfiable
 * @param partial whether the answer is 206 with {@code Content-Range} rather than the whole blob
 */
public record ByteRange(long offset, long length, boolean partial) {
    private static final String UNIT = "bytes=";

    public static ByteRange of(String header, long size) {
        ByteRange whole = new ByteRange(0, size, false);
        if (header == null || !header.regionMatches(true, 0, UNIT, 0, UNIT.length()) || header.indexOf(',') >= 0) {
            return whole;
        }
        String spec = header.substring(UNIT.length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return whole;
        }
        long first = number(spec.substring(0, dash).trim());
        long last = number(spec.substring(dash + 1).trim());
        if (first == -2 || last == -2 || (first == -1 && last == -1)) {
            return whole;
        }
        if (first == -1) {
            // A suffix: the last n bytes; a suffix of 0 bytes cannot be satisfied.
            return last == 0 ? unsatisfiable() : new ByteRange(Math.max(0, size - last), Math.min(last, size), true);
        }
        if (last != -1 && last < first) {
            return whole;
        }
        if (first >= size) {
            return unsatisfiable();
        }
        long end = last == -1 || last >= size ? size - 1 : last;
        return new ByteRange(first, end - first + 1, true);
    }

    private static ByteRange unsatisfiable() {
        return new ByteRange(0, -1, true);
    }

    public boolean satisfiable() {
        return length >= 0;
    }

    /** {@code Content-Range}'s value: {@code bytes a-b/size}, or {@code bytes * /size} when unsatisfiable. */
    public String contentRange(long size) {
        return satisfiable() ? "bytes " + offset + "-" + (offset + length - 1) + "/" + size : "bytes */" + size;
    }

    /** Digits as a number; -1 for none, -2 for anything else (or more than a long holds). */
    private static long number(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        if (text.length() > 18) {
            return -2;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -2;
            }
        }
        return Long.parseLong(text);
    }
}
