package io.switchboard.core.transport;

import io.netty.buffer.ByteBuf;

/**
 * The header of a server's WebSocket data frame (RFC 6455, section 5.2: final, unmasked, no extensions), written in
 * front of its payload in the one pooled buffer the payload is copied into. Such a buffer goes through Netty's frame
 * encoder untouched, so a frame costs no frame object and no second buffer holding a second copy of its payload.
 */
final class DataFrameHeader {
    private static final int FINAL = 0x80;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;
    private static final int LENGTH_IN_16_BITS = 126;
    private static final int LENGTH_IN_64_BITS = 127;
    private static final int MAX_16_BITS = 0xFFFF;

    private DataFrameHeader() {}

    /** The header's length for a payload of {@code length} bytes. */
    static int bytes(int length) {
        return length < LENGTH_IN_16_BITS ? 2 : length <= MAX_16_BITS ? 4 : 10;
    }

    /** Writes the header of a text or binary frame whose payload of {@code length} bytes follows. */
    static void write(ByteBuf out, boolean binary, int length) {
        out.writeByte(FINAL | (binary ? OPCODE_BINARY : OPCODE_TEXT));
        if (length < LENGTH_IN_16_BITS) {
            out.writeByte(length);
        } else if (length <= MAX_16_BITS) {
            out.writeByte(LENGTH_IN_16_BITS);
            out.writeShort(length);
        } else {
            out.writeByte(LENGTH_IN_64_BITS);
            out.writeLong(length);
        }
    }
}
