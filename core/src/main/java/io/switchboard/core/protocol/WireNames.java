package io.switchboard.core.protocol;

import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/** Matches wire names as bytes, so that enum look-ups on the decode path never build a String. */
final class WireNames {
    private WireNames() {}

    static byte[] ascii(final String name) {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    static int indexOf(final byte[][] names, final DirectBuffer buffer, final int offset, final int length) {
        for (int i = 0; i < names.length; i++) {
            final byte[] name = names[i];
            if (name.length == length && equals(name, buffer, offset)) {
                return i;
            }
        }
        return -1;
    }

    static int indexOf(final byte[][] names, final byte[] bytes, final int offset, final int length) {
        for (int i = 0; i < names.length; i++) {
            final byte[] name = names[i];
            if (name.length == length && equals(name, bytes, offset)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean equals(final byte[] name, final DirectBuffer buffer, final int offset) {
        for (int i = 0; i < name.length; i++) {
            if (name[i] != buffer.getByte(offset + i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean equals(final byte[] name, final byte[] bytes, final int offset) {
        for (int i = 0; i < name.length; i++) {
            if (name[i] != bytes[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
