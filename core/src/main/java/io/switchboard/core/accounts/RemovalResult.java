package io.switchboard.core.accounts;

/** The outcome of {@link AccountStore#remove}. */
public enum RemovalResult {
    /** The device is gone from its account: its token no longer verifies. */
    REMOVED,
    /** Only the account's primary device removes devices. */
    NOT_PRIMARY,
    /** The primary device itself cannot be removed. */
    PRIMARY,
    /** The account has no such device. */
    NO_SUCH_DEVICE
}
