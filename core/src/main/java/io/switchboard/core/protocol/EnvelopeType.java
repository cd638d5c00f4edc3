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

    private static final WireLookup<EnvelopeType> LOOKUP =
            WireLookup.of(values(), value -> value.wire, EnvelopeType::code);

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

    /** The stable binary code, 0 to 3 today. */
    public byte code() {
        return code;
    }

    /** The constant with binary code {@code code}, or null when there is none. */
    public static EnvelopeType fromCode(final int code) {
        return LOOKUP.byCode(code);
    }

    /** The constant named by {@code length} bytes at {@code offset}, or null when none has that name. */
    public static EnvelopeType fromWire(final DirectBuffer buffer, final int offset, final int length) {
        return LOOKUP.byWire(buffer, offset, length);
    }

    /** The constant named by {@code text}, or null when none has that name. */
    public static EnvelopeType fromWire(final FrameText text) {
        return LOOKUP.byWire(text);
    }
}
