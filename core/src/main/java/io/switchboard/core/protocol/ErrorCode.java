package io.switchboard.core.protocol;

import org.agrona.DirectBuffer;

/**
 * The {@code code} of an {@code error} frame (and of a failed {@code result}).
 *
 * <p>{@link #code()} is the value in binary records ({@code sb.bin.v1}, stored queues): codes never change and
 * are never reused; add new constants with new codes. Immutable, so thread-safe.
 */
public enum ErrorCode {
    AUTH("auth", 0),
    REPLACED("replaced", 1),
    BAD_FRAME("bad-frame", 2),
    TOO_LARGE("too-large", 3),
    RATE_LIMITED("rate-limited", 4),
    FORBIDDEN("forbidden", 5),
    UNKNOWN_RECIPIENT("unknown-recipient", 6),
    DEVICES("devices", 7),
    UNAVAILABLE("unavailable", 8),
    INTERNAL("internal", 9);

    private static final WireLookup<ErrorCode> LOOKUP = WireLookup.of(values(), value -> value.wire, ErrorCode::code);

    private final String wireName;
    private final byte code;
    final byte[] wire;

    ErrorCode(final String wireName, final int code) {
        this.wireName = wireName;
        this.code = (byte) code;
        this.wire = WireNames.ascii(wireName);
    }

    public String wireName() {
        return wireName;
    }

    /** The stable binary code, 0 to 9 today. */
    public byte code() {
        return code;
    }

    /** The constant with binary code {@code code}, or null when there is none. */
    public static ErrorCode fromCode(final int code) {
        return LOOKUP.byCode(code);
    }

    /** The constant named by {@code length} bytes at {@code offset}, or null when none has that name. */
    public static ErrorCode fromWire(final DirectBuffer buffer, final int offset, final int length) {
        return LOOKUP.byWire(buffer, offset, length);
    }

    /** The constant named by {@code text}, or null when none has that name. */
    public static ErrorCode fromWire(final FrameText text) {
        return LOOKUP.byWire(text);
    }
}
