package io.switchboard.core.metrics;

/**
 * Counters of the media service (protocol.md, Media). Written from the I/O loops and the media threads alike, so
 * always atomically ({@link CounterSet#incrementAtomic}, {@link CounterSet#addAtomic}); a transfer is counted once,
 * not per chunk. Type ids are stable.
 */
public enum MediaCounter implements CounterDescriptor {
    UPLOADS(301, "media.uploads", "blobs stored and answered 201"),
    UPLOADS_ABORTED(302, "media.uploads.aborted", "uploads whose client went away before the last byte: nothing kept"),
    DOWNLOADS(303, "media.downloads", "blob reads answered 200 or 206 and written to the end"),
    BYTES_IN(304, "media.bytes.in", "bytes of blobs stored"),
    BYTES_OUT(305, "media.bytes.out", "bytes of blobs written to clients"),
    STORE_ERRORS(306, "media.store.errors", "store operations that failed (answered 503)"),
    EXPIRED(307, "media.expired", "blobs deleted past the retention"),
    REFUSED_OVER_QUOTA(308, "over-quota"),
    REFUSED_STORE_FULL(309, "store-full");

    private final CounterSpec spec;

    MediaCounter(int typeId, String metricName, String description) {
        this.spec = new CounterSpec(typeId, metricName, CounterKind.TOTAL, description);
    }

    /** Uploads refused for what they would hold, one series per {@code kind}: the user's quota, or the store's bound. */
    MediaCounter(int typeId, String refusal) {
        this.spec = CounterSpec.mediaRefused(typeId, refusal);
    }

    @Override
    public CounterSpec spec() {
        return spec;
    }
}
