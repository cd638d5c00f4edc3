package io.switchboard.core.protocol;

import org.agrona.DirectBuffer;

/**
 * The {@code event} of a {@code group.event}: members were added, removed by an admin, or left.
 *
 * <p>{@link #code()} is the value in binary records ({@code sb.bin.v1}, stored queues): codes never change and
 * are never reused; add new constants with new codes. Immutable, so thread-safe.
 */
public enum GroupEventKind {
    ADDED("added", 0),
    REMOVED("removed", 1),
    LEFT("left", 2);

    private static final WireLookup<GroupEventKind> LOOKUP =
            WireLookup.of(values(), value -> value.wire, GroupEventKind::code);

    private final String wireName;
    private final byte code;
    final byte[] wire;

    GroupEventKind(final String wireName, final int code) {
        this.wireName = wireName;
        this.code = (byte) code;
        this.wire = WireNames.ascii(wireName);
    }

    public String wireName() {
        return wireName;
    }

    /** The stable binary code, 0 to 2 today. */
    public byte code() {
        return code;
    }

    /** The constant with binary code {@code code}, or null when there is none. */
    public static GroupEventKind fromCode(final int code) {
        return LOOKUP.byCode(code);
    }

    /** The constant named by {@code length} bytes at {@code offset}, or null when none has that name. */
    public static GroupEventKind fromWire(final DirectBuffer buffer, final int offset, final int length) {
        return LOOKUP.byWire(buffer, offset, length);
    }

    /** The constant named by {@code text}, or null when none has that name. */
    public static GroupEventKind fromWire(final FrameText text) {
        return LOOKUP.byWire(text);
    }
}
