package io.switchboard.core.protocol;

import org.agrona.DirectBuffer;

/** The {@code t} of a frame. Immutable, so thread-safe. */
public enum FrameType {
    HELLO("hello"),
    WELCOME("welcome"),
    PING("ping"),
    PONG("pong"),
    SEND("send"),
    ACK("ack"),
    MSG("msg"),
    RECV("recv"),
    RECEIPT("receipt"),
    READ("read"),
    ERROR("error"),
    GROUP_CREATE("group.create"),
    GROUP_ADD("group.add"),
    GROUP_REMOVE("group.remove"),
    GROUP_LEAVE("group.leave"),
    GROUP_INFO("group.info"),
    RESULT("result"),
    GROUP_EVENT("group.event"),
    SUB("sub"),
    UNSUB("unsub"),
    PRESENCE("presence"),
    TYPING("typing"),
    RECEIPT_ACK("receipt.ack"),
    GROUP_INVITE("group.invite"),
    GROUP_JOIN("group.join"),
    KEYS_LOW("keys.low");

    private static final WireLookup<FrameType> LOOKUP = WireLookup.of(values(), type -> type.wire);

    private final String wireName;
    final byte[] wire;

    FrameType(final String wireName) {
        this.wireName = wireName;
        this.wire = WireNames.ascii(wireName);
    }

    public String wireName() {
        return wireName;
    }

    /** The type named by {@code length} bytes at {@code offset}, or null when no type has that name. */
    public static FrameType fromWire(final DirectBuffer buffer, final int offset, final int length) {
        return LOOKUP.byWire(buffer, offset, length);
    }

    /** The type named by {@code text}, or null when no type has that name. */
    public static FrameType fromWire(final FrameText text) {
        return LOOKUP.byWire(text);
    }
}
