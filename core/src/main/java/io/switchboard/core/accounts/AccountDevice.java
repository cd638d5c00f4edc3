package io.switchboard.core.accounts;

import io.switchboard.core.push.PushRegistration;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One device of an account: the SHA-256 of its current token (tokens themselves are never stored), when it joined, and
 * its session as the transport reports it. The token hash changes only under the account's stripe write lock; the
 * session fields are written under the read lock by the I/O threads that open and close sessions, so they are
 * volatile and the close is a compare-and-set: the close of a session that a newer one replaced changes nothing.
 */
final class AccountDevice {
    private static final AtomicLongFieldUpdater<AccountDevice> CONNECTION =
            AtomicLongFieldUpdater.newUpdater(AccountDevice.class, "connection");

    private final int device;
    /** When the device joined its account, ms since the epoch; 0 for a device registered before this was kept. */
    private final long createdMs;

    private byte[] tokenHash;
    /** Where to wake the device while it has no session, or null; changed under the stripe's write lock. */
    private PushRegistration push;
    /** The connection of the device's current session, or 0 while it has none. */
    private volatile long connection;
    /** When the device's last session closed, ms since the epoch; 0 before the first one closed. */
    private volatile long lastSeenMs;

    AccountDevice(int device, byte[] tokenHash, long createdMs) {
        this.device = device;
        this.tokenHash = tokenHash;
        this.createdMs = createdMs;
    }

    int device() {
        return device;
    }

    long createdMs() {
        return createdMs;
    }

    byte[] tokenHash() {
        return tokenHash;
    }

    void tokenHash(byte[] tokenHash) {
        this.tokenHash = tokenHash;
    }

    PushRegistration push() {
        return push;
    }

    void push(PushRegistration push) {
        this.push = push;
    }

    void sessionOpened(long connection) {
        this.connection = connection;
    }

    void sessionClosed(long connection, long nowMs) {
        if (CONNECTION.compareAndSet(this, connection, 0)) {
            lastSeenMs = nowMs;
        }
    }

    /** The connection of the device's current session, 0 while it has none. */
    long connection() {
        return connection;
    }

    boolean online() {
        return connection != 0;
    }

    long lastSeenMs() {
        return lastSeenMs;
    }
}
