package io.switchboard.core.keys;

/** What became of a {@code PUT /v1/keys}: stored (with what the device then has), or why not, in words for the client. */
public record UploadResult(Status status, String message, KeyCounts counts) {
    public enum Status {
        STORED,
        /** A companion device's identity key is not the account's (409). */
        IDENTITY_CONFLICT,
        /** The device would hold more one-time keys of a kind than it may (413). */
        TOO_MANY_KEYS
    }

    static UploadResult stored(KeyCounts counts) {
        return new UploadResult(Status.STORED, null, counts);
    }

    static UploadResult refused(Status status, String message) {
        return new UploadResult(status, message, null);
    }
}
