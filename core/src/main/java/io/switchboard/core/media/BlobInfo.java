package io.switchboard.core.media;

/**
 * A stored blob: the user who uploaded it (whose quota it counts against), its size, and when the store took it
 * (milliseconds since the epoch, the store's clock).
 */
public record BlobInfo(long owner, long sizeBytes, long createdMs) {}
