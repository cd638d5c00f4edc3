package io.switchboard.core.media;

/** A stored blob: its size and when the store took it (milliseconds since the epoch, the store's clock). */
public record BlobInfo(long sizeBytes, long createdMs) {}
