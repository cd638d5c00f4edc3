package io.switchboard.core.media;

import io.micrometer.core.instrument.Tags;
import io.netty.buffer.ByteBuf;
import io.netty.handler.stream.ChunkedInput;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.core.config.MediaContext;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.MediaCounter;
import io.switchboard.core.metrics.ServerMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media service: a {@link MediaStore}, the threads that talk to it, and the sweep that deletes blobs past the
 * retention. Every store call runs on one of {@code media.threads} threads ({@code switchboard-media}); when all are
 * busy a new transfer is refused at once ({@link java.util.concurrent.RejectedExecutionException}, answered 503)
 * rather than queued, so the number of uploads streaming into the store, and so the memory they buffer, is bounded.
 * A blob past the retention is not served even before the sweep ({@code switchboard-media-expiry}) deletes it.
 * What each user holds is counted in a {@link MediaQuota}: counted from the store itself when the service starts (the
 * store keeps each blob's owner beside it), taken at an upload's head, given back by an upload that fails and by the
 * sweep. Thread-safe.
 */
public final class MediaService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaService.class);
    /** The sweep runs four times per retention, at most every 10 minutes and at least 100 ms apart. */
    private static final long MAX_SWEEP_MS = TimeUnit.MINUTES.toMillis(10);

    private static final long MIN_SWEEP_MS = 100;

    private final MediaStore store;
    private final long retentionMs;
    private final long maxBytes;
    private final EpochClock clock;
    private final CounterSet<MediaCounter> counters;
    private final MediaQuota quota;
    private final ThreadPoolExecutor transfers;
    private final ScheduledExecutorService sweeper;

    /** Counts what {@code store} holds (a listing of the whole store) before it serves anything. */
    public MediaService(MediaContext context, MediaStore store, ServerMetrics metrics, EpochClock clock)
            throws IOException {
        this.store = store;
        this.retentionMs = context.retentionMs();
        this.maxBytes = context.maxBytes();
        this.clock = clock;
        this.counters = metrics.newMediaCounters(store.name());
        this.quota = countStored(context, store);
        metrics.gauge(
                "media.stored.bytes",
                "bytes of blobs the media store holds, as counted against media.maxStoreBytes",
                Tags.of(ServerMetrics.MEDIA_STORE_TAG, store.name()),
                quota::storeBytes);
        metrics.gauge(
                "media.stored.bytes.max",
                "media.maxStoreBytes, or the store's default",
                Tags.of(ServerMetrics.MEDIA_STORE_TAG, store.name()),
                quota::maxStoreBytes);
        this.transfers = new ThreadPoolExecutor(
                context.threads(),
                context.threads(),
                0,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                new DefaultThreadFactory("switchboard-media", true));
        this.sweeper =
                Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("switchboard-media-expiry", true));
        long sweepMs = Math.max(MIN_SWEEP_MS, Math.min(MAX_SWEEP_MS, retentionMs / 4));
        sweeper.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    }

    private static MediaQuota countStored(MediaContext context, MediaStore store) throws IOException {
        MediaQuota counted = new MediaQuota(context.userQuotaBytes(), Long.MAX_VALUE / 2);
        store.scan(blob -> counted.add(blob.owner(), blob.sizeBytes()));
        long maxStoreBytes =
                context.maxStoreBytes() > 0 ? context.maxStoreBytes() : store.defaultMaxBytes(counted.storeBytes());
        LOG.info(
                "media store {} holds {} bytes (as counted), bounded at {}",
                store.name(),
                counted.storeBytes(),
                maxStoreBytes);
        return counted.boundedAt(maxStoreBytes);
    }

    /** The store {@code context} names: the file store under {@code <data>/media}, or S3. */
    public static MediaStore openStore(MediaContext context, Path dataDir) throws IOException {
        Path media = dataDir.resolve("media");
        return context.store() == MediaContext.Store.S3
                ? S3MediaStore.open(context, media.resolve("spool"))
                : FileMediaStore.open(media);
    }

    /** The largest upload. */
    public long maxBytes() {
        return maxBytes;
    }

    public CounterSet<MediaCounter> counters() {
        return counters;
    }

    /**
     * Takes {@code sizeBytes} from {@code user}'s quota and the store's bound for an upload that is about to stream
     * in: null when taken, or why not (counted; nothing taken). {@link #upload} then gives them back if it fails.
     */
    public MediaQuota.Refusal reserve(long user, long sizeBytes) {
        MediaQuota.Refusal refusal = quota.reserve(user, sizeBytes);
        if (refusal != null) {
            counters.incrementAtomic(
                    refusal == MediaQuota.Refusal.OVER_QUOTA
                            ? MediaCounter.REFUSED_OVER_QUOTA
                            : MediaCounter.REFUSED_STORE_FULL);
        }
        return refusal;
    }

    /**
     * Stores {@code content}, whose bytes {@link #reserve} took for {@code user}, under a new id on a media thread;
     * completes with the id, or exceptionally when the content or the store failed, and then the bytes are given
     * back. Throws {@link java.util.concurrent.RejectedExecutionException} when every media thread is busy (the bytes
     * given back too).
     */
    public CompletableFuture<String> upload(long user, long sizeBytes, InputStream content) {
        String id = MediaIds.next();
        try {
            return CompletableFuture.supplyAsync(
                    () -> {
                        boolean stored = false;
                        try (content) {
                            store.put(id, user, sizeBytes, content);
                            stored = true;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } finally {
                            if (!stored) {
                                quota.release(user, sizeBytes);
                            }
                        }
                        counters.incrementAtomic(MediaCounter.UPLOADS);
                        counters.addAtomic(MediaCounter.BYTES_IN, sizeBytes);
                        return id;
                    },
                    transfers);
        } catch (RejectedExecutionException e) {
            quota.release(user, sizeBytes);
            throw e;
        }
    }

    /** The bytes {@code user} holds in the store, all of its devices together, as counted against its quota. */
    public long heldBytes(long user) {
        return quota.userBytes(user);
    }

    /** The blob's size and age, or null when there is none or it is past the retention. */
    public CompletableFuture<BlobInfo> stat(String id) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        BlobInfo info = store.stat(id);
                        return info == null || expired(info) ? null : info;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                transfers);
    }

    /** {@link MediaStore#open} on a media thread. */
    public CompletableFuture<ChunkedInput<ByteBuf>> open(String id, long offset, long length) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return store.open(id, offset, length);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                transfers);
    }

    private boolean expired(BlobInfo info) {
        return clock.time() - info.createdMs() >= retentionMs;
    }

    /** Deletes what is past the retention; a store that is down now is tried again at the next sweep. */
    private void sweep() {
        try {
            int deleted = store.deleteStoredBefore(
                    clock.time() - retentionMs, blob -> quota.release(blob.owner(), blob.sizeBytes()));
            counters.addAtomic(MediaCounter.EXPIRED, deleted);
        } catch (IOException | RuntimeException e) {
            counters.incrementAtomic(MediaCounter.STORE_ERRORS);
            LOG.warn("media expiry sweep failed; retrying at the next one", e);
        }
    }

    /** The cause a failed store call completed with, without the future's wrappers. */
    public static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof UncheckedIOException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        transfers.shutdownNow();
        try {
            transfers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
