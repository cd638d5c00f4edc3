package io.switchboard.core.accounts;

/**
 * The outcome of {@link AccountStore#register}: a new token, or why there is none. {@code oldSession} is the
 * connection of the session a rotation's old token opened (0 when there is none), which must then be closed.
 */
public record RegistrationResult(Status status, String token, long oldSession) {
    public enum Status {
        /** A new account, whose primary device is the one registered: {@link #token()} is its token. */
        CREATED,
        /** A new device joined an existing account with a valid link code: {@link #token()} is its token. */
        LINKED,
        /** The holder of the device's current token rotated it: {@link #token()} is the new token. */
        ROTATED,
        /** The account exists and the request carried neither the device's current token nor a link code. */
        CONFLICT,
        /** The link code is unknown, used, replaced, expired or issued for another account. */
        LINK_REFUSED,
        /** The account has {@link io.switchboard.core.protocol.ProtocolLimits#MAX_DEVICES_PER_ACCOUNT} devices. */
        TOO_MANY_DEVICES,
        /** A new account, but the store holds as many as it may ({@code accounts.maxAccounts}). */
        FULL;

        /** Whether the request got a token. */
        public boolean registered() {
            return this == CREATED || this == LINKED || this == ROTATED;
        }
    }

    static RegistrationResult of(Status status, String token) {
        return of(status, token, 0);
    }

    static RegistrationResult of(Status status, String token, long oldSession) {
        return new RegistrationResult(status, token, oldSession);
    }

    static RegistrationResult refused(Status status) {
        return new RegistrationResult(status, null, 0);
    }
}
