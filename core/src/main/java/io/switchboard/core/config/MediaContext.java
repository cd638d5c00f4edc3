package io.switchboard.core.config;

import java.util.concurrent.TimeUnit;

/**
 * The media service (protocol.md, Media): where blobs are stored ({@code media.store}: {@code fs} under {@code
 * <data>/media}, or {@code s3}), the largest upload, how many bytes one user and the whole store may hold, how long a
 * blob is kept, and how many transfers may talk to the store at once. The S3 keys are read only for {@code media.store: s3}; blank credentials mean the AWS SDK's default
 * chain (environment, profile, instance role).
 */
public final class MediaContext {
    public static final String STORE_PROP = "media.store";
    public static final Store STORE_DEFAULT = Store.FS;
    public static final String MAX_BYTES_PROP = "media.maxBytes";
    /** WhatsApp's limit for a photo is 16 MB; documents are larger, and a server may raise it. */
    public static final long MAX_BYTES_DEFAULT = 16L * 1024 * 1024;

    public static final String USER_QUOTA_BYTES_PROP = "media.userQuotaBytes";
    /**
     * 256 blobs of the largest size, or about 800 photos of 5 MB, held at once by all of a user's devices: a phone's
     * worth over a retention of 30 days, and a bound on how much of the store one account can take.
     */
    public static final long USER_QUOTA_BYTES_DEFAULT = 4L * 1024 * 1024 * 1024;

    public static final String MAX_STORE_BYTES_PROP = "media.maxStoreBytes";
    /** Not set: the store picks ({@code MediaStore#defaultMaxBytes}). */
    public static final long MAX_STORE_BYTES_DEFAULT = 0;

    public static final String RETENTION_MS_PROP = "media.retentionMs";
    public static final String THREADS_PROP = "media.threads";
    /** Uploads, reads and expiry sweeps in flight with the store at once; one more gets 503. */
    public static final int THREADS_DEFAULT = 16;

    public static final String S3_ENDPOINT_PROP = "media.s3.endpoint";
    public static final String S3_BUCKET_PROP = "media.s3.bucket";
    public static final String S3_REGION_PROP = "media.s3.region";
    public static final String S3_REGION_DEFAULT = "us-east-1";
    public static final String S3_ACCESS_KEY_PROP = "media.s3.accessKey";
    public static final String S3_SECRET_KEY_PROP = "media.s3.secretKey";
    public static final String S3_PATH_STYLE_PROP = "media.s3.pathStyle";

    private final Store store;
    private final long maxBytes;
    private final long userQuotaBytes;
    private final long maxStoreBytes;
    private final long retentionMs;
    private final int threads;
    private final String s3Endpoint;
    private final String s3Bucket;
    private final String s3Region;
    private final String s3AccessKey;
    private final String s3SecretKey;
    private final boolean s3PathStyle;

    /** Where blobs live. */
    public enum Store implements Settings.Named {
        FS("fs"),
        S3("s3");

        private final String configName;

        Store(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }
    }

    private MediaContext(Settings settings, long journalRetentionMs) {
        store = settings.choice(STORE_PROP, STORE_DEFAULT);
        maxBytes = settings.longValue(MAX_BYTES_PROP, MAX_BYTES_DEFAULT, 1, 1L << 40);
        userQuotaBytes = settings.longValue(USER_QUOTA_BYTES_PROP, USER_QUOTA_BYTES_DEFAULT, 1, Long.MAX_VALUE / 2);
        maxStoreBytes = settings.longValue(MAX_STORE_BYTES_PROP, MAX_STORE_BYTES_DEFAULT, 0, Long.MAX_VALUE / 2);
        retentionMs = settings.longValue(RETENTION_MS_PROP, journalRetentionMs, 100, TimeUnit.DAYS.toMillis(3650));
        threads = settings.integer(THREADS_PROP, THREADS_DEFAULT, 1, 1024);
        s3Endpoint = blankToNull(settings.string(S3_ENDPOINT_PROP, ""));
        s3Bucket = blankToNull(settings.string(S3_BUCKET_PROP, ""));
        s3Region = settings.string(S3_REGION_PROP, S3_REGION_DEFAULT);
        s3AccessKey = blankToNull(settings.string(S3_ACCESS_KEY_PROP, ""));
        s3SecretKey = blankToNull(settings.string(S3_SECRET_KEY_PROP, ""));
        s3PathStyle = settings.bool(S3_PATH_STYLE_PROP, false);
        if (store == Store.S3 && s3Bucket == null) {
            throw settings.invalid(S3_BUCKET_PROP, "media.store: s3 needs a bucket");
        }
        if ((s3AccessKey == null) != (s3SecretKey == null)) {
            throw settings.invalid(
                    S3_SECRET_KEY_PROP, "set both media.s3.accessKey and media.s3.secretKey, or neither");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The retention defaults to the journal's, so that a blob lives as long as a message that names it. */
    public static MediaContext from(Settings settings, long journalRetentionMs) {
        return new MediaContext(settings, journalRetentionMs);
    }

    public Store store() {
        return store;
    }

    /** The largest {@code Content-Length} an upload may declare; above it, 413. */
    public long maxBytes() {
        return maxBytes;
    }

    /** The most bytes of blobs one user (all of its devices) may hold in the store; beyond it, 413 {@code over-quota}. */
    public long userQuotaBytes() {
        return userQuotaBytes;
    }

    /** The most bytes the store may hold, or 0 for the store's own default; beyond it, 503. */
    public long maxStoreBytes() {
        return maxStoreBytes;
    }

    /** How long after its upload a blob is served; then it is 404 and deleted by the next sweep. */
    public long retentionMs() {
        return retentionMs;
    }

    public int threads() {
        return threads;
    }

    /** The S3 endpoint URI, or null for AWS's own. */
    public String s3Endpoint() {
        return s3Endpoint;
    }

    public String s3Bucket() {
        return s3Bucket;
    }

    public String s3Region() {
        return s3Region;
    }

    /** The access key, or null for the SDK's default credential chain. */
    public String s3AccessKey() {
        return s3AccessKey;
    }

    public String s3SecretKey() {
        return s3SecretKey;
    }

    /** Bucket in the path rather than the host name, as S3Proxy, MinIO and most S3 work-alikes need. */
    public boolean s3PathStyle() {
        return s3PathStyle;
    }

    @Override
    public String toString() {
        return "media=" + store.configName() + " maxBytes=" + maxBytes + " userQuotaBytes=" + userQuotaBytes
                + " maxStoreBytes=" + (maxStoreBytes == 0 ? "default" : Long.toString(maxStoreBytes)) + " retentionMs="
                + retentionMs + " threads="
                + threads
                + (store == Store.S3
                        ? " bucket=" + s3Bucket + " endpoint=" + (s3Endpoint == null ? "aws" : s3Endpoint)
                        : "");
    }
}
