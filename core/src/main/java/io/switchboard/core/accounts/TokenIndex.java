package io.switchboard.core.accounts;

import org.agrona.collections.Long2LongHashMap;

/**
 * Which device a token belongs to, for requests that carry only a token ({@code Authorization: Bearer}): keyed by the
 * first 8 bytes of the token's SHA-256, valued by user and device packed in one long, so a million devices cost two
 * long arrays and no object each. A caller checks the whole hash against the device's entry afterwards; two devices
 * whose hashes share the first 64 bits (about one chance in 10^7 among a million devices) leave only the later one
 * findable here, and the earlier one gets 401 on these requests until it rotates its token. Thread-safe.
 */
final class TokenIndex {
    /** Returned by {@link #find} for an unknown token; no packed device is negative. */
    static final long MISSING = -1;

    private static final int DEVICE_BITS = 6;

    private final Long2LongHashMap devices = new Long2LongHashMap(MISSING);

    synchronized void put(byte[] tokenHash, long user, int device) {
        devices.put(key(tokenHash), pack(user, device));
    }

    /** Forgets the token, unless its key has since been taken by another device's token. */
    synchronized void remove(byte[] tokenHash, long user, int device) {
        long key = key(tokenHash);
        if (devices.get(key) == pack(user, device)) {
            devices.remove(key);
        }
    }

    /** The packed device whose token may have this hash ({@link #user}, {@link #device}), or {@link #MISSING}. */
    synchronized long find(byte[] tokenHash) {
        return devices.get(key(tokenHash));
    }

    static long user(long packed) {
        return packed >>> DEVICE_BITS;
    }

    static int device(long packed) {
        return (int) (packed & ((1 << DEVICE_BITS) - 1));
    }

    /** Users are below 2^53 and devices below 2^6, so the pair fits in 59 bits and is never negative. */
    private static long pack(long user, int device) {
        return (user << DEVICE_BITS) | device;
    }

    private static long key(byte[] hash) {
        long key = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            key = (key << 8) | (hash[i] & 0xFF);
        }
        return key;
    }
}
