package io.switchboard.core.protocol;

/**
 * The two encodings of protocol v1, each named by its WebSocket subprotocol (protocol.md, Connection): {@code
 * sb.json.v1} in text frames, {@code sb.bin.v1} in binary frames. Both carry the same {@link Frame}s. Immutable.
 */
public enum WireCodec {
    JSON("sb.json.v1"),
    BINARY("sb.bin.v1");

    private final String subprotocol;

    WireCodec(final String subprotocol) {
        this.subprotocol = subprotocol;
    }

    /** The {@code Sec-WebSocket-Protocol} value that selects this encoding. */
    public String subprotocol() {
        return subprotocol;
    }

    /** The encoding a handshake selected: none (null or empty) means {@code sb.json.v1}. */
    public static WireCodec ofSubprotocol(final String subprotocol) {
        return BINARY.subprotocol.equals(subprotocol) ? BINARY : JSON;
    }
}
