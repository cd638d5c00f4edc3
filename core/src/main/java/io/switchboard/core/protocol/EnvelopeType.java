package io.switchboard.core.protocol;

import org.agrona.DirectBuffer;

/**
 * How an envelope's {@code body} is encrypted: {@code plain}, a Signal pre-key message, a Signal message or a sender-key group message. The server never decodes the body.
 *
 * <p>{@link #code()} is the value in binary records ({@code sb.bin.v1}, stored queues): codes never change and
 * are never reused; add new constants with new codes. Immutable, so thread-safe.
 */
public enum EnvelopeType {
    PLAIN("plain", 0),
    PKMSG("pkmsg", 1),
    MSG("msg", 2),
    SKMSG("skmsg", 3);

    private static final EnvelopeType[] VALUES = values();
    private static final EnvelopeType[] BY_CODE = new EnvelopeType[VALUES.length];
    private static final byte[][] NAMES = new byte[VALUES.length][];

    static {
        for (final EnvelopeType value : VALUES) {
            NAMES[value.ordinal()] = value.wire;
            BY_CODE[value.code] = value;
        }
    }

    private final String wireName;
    private final byte code;
    final byte[] wire;

    EnvelopeType(final String wireName, final int code) {
        this.wireName = wireName;
        this.code = (byte) code;
        this.wire = WireNames.ascii(wireName);
    }

    public String wireName() {
        return wireName;
    }

    /** The stable binary code, 0..4 today. */
    public byte code() {
        return code;
    }

    /** The constant with binary code {@code code}, or null when there is none. */
    public static EnvelopeType fromCode(final int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The constant named by {@code length} bytes at {@code offset}, or null when none has that name. */
    public static EnvelopeType fromWire(final DirectBuffer buffer, final int offset, final int length) {
        final int index = WireNames.indexOf(NAMES, buffer, offset, length);
        return index < 0 ? null : VALUES[index];
    }

    /** The constant named by {@code text}, or null when none has that name. */
    public static EnvelopeType fromWire(final FrameText text) {
        final int index = WireNames.indexOf(NAMES, text.array(), 0, text.length());
        return index < 0 ? null : VALUES[index];
    }
}
