package io.switchboard.core.protocol;

import org.agrona.DirectBuffer;

/**
 * The {@code kind} of a {@code receipt}: delivered to every device (double tick) or read.
 *
 * <p>{@link #code()} is the value in binary records ({@code sb.bin.v1}, stored queues): codes never change and
 * are never reused; add new constants with new codes. Immutable, so thread-safe.
 */
public enum ReceiptKind {
    DELIVERED("delivered", 0),
    READ("read", 1);

    private static final ReceiptKind[] VALUES = values();
    private static final ReceiptKind[] BY_CODE = new ReceiptKind[VALUES.length];
    private static final byte[][] NAMES = new byte[VALUES.length][];

    static {
        for (final ReceiptKind value : VALUES) {
            NAMES[value.ordinal()] = value.wire;
            BY_CODE[value.code] = value;
        }
    }

    private final String wireName;
    private final byte code;
    final byte[] wire;

    ReceiptKind(final String wireName, final int code) {
        this.wireName = wireName;
        this.code = (byte) code;
        this.wire = WireNames.ascii(wireName);
    }

    public String wireName() {
        return wireName;
    }

    /** The stable binary code, 0..2 today. */
    public byte code() {
        return code;
    }

    /** The constant with binary code {@code code}, or null when there is none. */
    public static ReceiptKind fromCode(final int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** The constant named by {@code length} bytes at {@code offset}, or null when none has that name. */
    public static ReceiptKind fromWire(final DirectBuffer buffer, final int offset, final int length) {
        final int index = WireNames.indexOf(NAMES, buffer, offset, length);
        return index < 0 ? null : VALUES[index];
    }

    /** The constant named by {@code text}, or null when none has that name. */
    public static ReceiptKind fromWire(final FrameText text) {
        final int index = WireNames.indexOf(NAMES, text.array(), 0, text.length());
        return index < 0 ? null : VALUES[index];
    }
}
