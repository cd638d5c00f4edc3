package io.switchboard.core.accounts;

import java.security.MessageDigest;

/**
 * One user's registered devices and the SHA-256 of each device's current token (tokens themselves are never stored).
 * Written only under its {@link AccountDirectory} stripe lock; {@link #deviceMask()} is read lock-free by routers.
 */
final class Account {
    private final long user;
    private final byte[][] tokenHashes = new byte[64][];
    private volatile long deviceMask;

    Account(long user) {
        this.user = user;
    }

    long user() {
        return user;
    }

    long deviceMask() {
        return deviceMask;
    }

    boolean hasDevice(int device) {
        return (deviceMask & (1L << device)) != 0;
    }

    void setToken(int device, byte[] tokenHash) {
        tokenHashes[device] = tokenHash;
        deviceMask |= 1L << device;
    }

    boolean tokenMatches(int device, byte[] presentedHash) {
        byte[] stored = tokenHashes[device];
        return stored != null && MessageDigest.isEqual(stored, presentedHash);
    }
}
