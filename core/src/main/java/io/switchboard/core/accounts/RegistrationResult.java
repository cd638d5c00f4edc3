package io.switchboard.core.accounts;

/** The outcome of {@link AccountStore#register}: a new token, or why there is none. */
public record RegistrationResult(Status status, String token) {
    public enum Status {
        /** A new device, or a rotation by the holder of the current token: {@link #token()} is the new token. */
        REGISTERED,
        /** The device exists and the request did not carry its current token. */
        CONFLICT
    }

    static RegistrationResult registered(String token) {
        return new RegistrationResult(Status.REGISTERED, token);
    }

    static RegistrationResult conflict() {
        return new RegistrationResult(Status.CONFLICT, null);
    }
}
