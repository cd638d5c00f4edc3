package io.switchboard.core.media;

/**
 * A stored blob: the user who uploaded it (whose quota it counts against), its size, and when the store took it
 * (milliseconds since the epoch, the store's clock).
 */
public record BlobInfo(long owner, long sizeBytes, long createdMs) {
    /**
     * The owner of a blob stored before stores kept owners: it counts towards the store's bound and no user's quota
     * (no account has this id).
     */
    public static final long NO_OWNER = -1;
}
