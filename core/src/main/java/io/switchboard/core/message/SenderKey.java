package io.switchboard.core.message;

import io.switchboard.core.protocol.ProtocolLimits;

/**
 * One long per sending device ({@code user × 64 + device}): the key of de-duplication, delivery lists and the journal's
 * group records, so that all of them agree on it.
 */
public final class SenderKey {
    private SenderKey() {}

    public static long of(long user, int device) {
        return user * (ProtocolLimits.MAX_DEVICE + 1) + device;
    }

    /** The user of a key made by {@link #of}. */
    public static long user(long key) {
        return key / (ProtocolLimits.MAX_DEVICE + 1);
    }

    /** The device of a key made by {@link #of}. */
    public static int device(long key) {
        return (int) (key % (ProtocolLimits.MAX_DEVICE + 1));
    }
}
