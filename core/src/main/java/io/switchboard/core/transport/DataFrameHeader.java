package io.switchboard.core.transport;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The header of a WebSocket data frame (RFC 6455, section 5.2: final, no extensions), written in front of its payload
 * in the one pooled buffer the payload is copied into. Such a buffer goes through Netty's frame encoder untouched, so
 * a frame costs no frame object and no second buffer holding a second copy of its payload. The server's frames are
 * unmasked; a client's carry a masking key, and the payload behind it goes masked ({@link #writeMasked}).
 */
public final class DataFrameHeader {
    private static final int FINAL = 0x80;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;
    private static final int MASKED = 0x80;
    private static final int MASK_BYTES = 4;
    private static final int LENGTH_IN_16_BITS = 126;
    private static final int LENGTH_IN_64_BITS = 127;
    private static final int MAX_16_BITS = 0xFFFF;
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private DataFrameHeader() {}

    /** The length of a server's header for a payload of {@code length} bytes. */
    public static int bytes(int length) {
        return length < LENGTH_IN_16_BITS ? 2 : length <= MAX_16_BITS ? 4 : 10;
    }

    /** Writes a server's header of a text or binary frame whose payload of {@code length} bytes follows. */
    public static void write(ByteBuf out, boolean binary, int length) {
        write(out, binary, length, 0);
    }

    /** The length of a client's header, masking key included, for a payload of {@code length} bytes. */
    public static int maskedBytes(int length) {
        return bytes(length) + MASK_BYTES;
    }

    /**
     * Writes a client's frame: the header with {@code mask} as its masking key, then the {@code length} bytes of
     * {@code payload} from {@code offset}, masked with it.
     */
    public static void writeMasked(ByteBuf out, boolean binary, byte[] payload, int offset, int length, int mask) {
        write(out, binary, length, MASKED);
        out.writeInt(mask);
        int i = 0;
        for (; i + Integer.BYTES <= length; i += Integer.BYTES) {
            out.writeInt((int) INTS.get(payload, offset + i) ^ mask);
        }
        for (; i < length; i++) {
            out.writeByte(payload[offset + i] ^ (mask >>> (Byte.SIZE * (Integer.BYTES - 1 - (i & 3)))));
        }
    }

    private static void write(ByteBuf out, boolean binary, int length, int maskBit) {
        out.writeByte(FINAL | (binary ? OPCODE_BINARY : OPCODE_TEXT));
        if (length < LENGTH_IN_16_BITS) {
            out.writeByte(maskBit | length);
        } else if (length <= MAX_16_BITS) {
            out.writeByte(maskBit | LENGTH_IN_16_BITS);
            out.writeShort(length);
        } else {
            out.writeByte(maskBit | LENGTH_IN_64_BITS);
            out.writeLong(length);
        }
    }
}
