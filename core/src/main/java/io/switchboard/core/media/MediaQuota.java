package io.switchboard.core.media;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes each user holds in the media store (all of the user's devices together) and the store's total, against
 * {@code media.userQuotaBytes} and {@code media.maxStoreBytes}. An upload takes its bytes at its head, before any of
 * its body is stored, and gives them back when it fails; the expiry sweep gives back what it deletes; a start counts
 * what the store holds ({@link MediaStore#scan}).
 *
 * <p>Each blob counts as its size rounded up to whole 4 KiB blocks, at least one: what it takes on a file system's
 * disk, so that a flood of empty blobs is bounded by the quota too.
 *
 * <p>Thread-safe without a lock of its own: the total is one compare-and-set counter, and each user's count changes
 * under {@link ConcurrentHashMap#compute}, which locks that user's bin of the table only, so uploads of different
 * users (on different I/O loops) and the sweep do not wait for one another.
 */
public final class MediaQuota {
    /** Why an upload is refused. */
    public enum Refusal {
        /** The user would hold more than {@code media.userQuotaBytes}. */
        OVER_QUOTA,
        /** The store would hold more than {@code media.maxStoreBytes}. */
        STORE_FULL
    }

    static final long BLOCK_BYTES = 4096;

    private final long userQuotaBytes;
    private final long maxStoreBytes;
    private final AtomicLong storeBytes = new AtomicLong();
    /** Users who hold something; a user whose count falls to zero is removed, so this is bounded by the accounts. */
    private final ConcurrentHashMap<Long, Long> userBytes = new ConcurrentHashMap<>();

    MediaQuota(long userQuotaBytes, long maxStoreBytes) {
        this.userQuotaBytes = userQuotaBytes;
        this.maxStoreBytes = maxStoreBytes;
    }

    /**
     * These counts under another store bound: a start counts the store before it knows its default bound, which
     * depends on what the store holds.
     */
    MediaQuota boundedAt(long storeBound) {
        MediaQuota bounded = new MediaQuota(userQuotaBytes, storeBound);
        bounded.userBytes.putAll(userBytes);
        bounded.storeBytes.set(storeBytes.get());
        return bounded;
    }

    /** The bytes a blob of {@code sizeBytes} counts as. */
    static long charge(long sizeBytes) {
        return Math.max(1, (sizeBytes + BLOCK_BYTES - 1) / BLOCK_BYTES) * BLOCK_BYTES;
    }

    /** Takes a blob's bytes for {@code user}: null when taken, or why not (and then nothing is taken). */
    Refusal reserve(long user, long sizeBytes) {
        long charge = charge(sizeBytes);
        boolean[] taken = new boolean[1];
        userBytes.compute(user, (key, held) -> {
            long now = held == null ? 0 : held;
            if (now + charge > userQuotaBytes) {
                return held;
            }
            taken[0] = true;
            return now + charge;
        });
        if (!taken[0]) {
            return Refusal.OVER_QUOTA;
        }
        for (long now = storeBytes.get(); ; now = storeBytes.get()) {
            if (now + charge > maxStoreBytes) {
                giveBack(user, charge);
                return Refusal.STORE_FULL;
            }
            if (storeBytes.compareAndSet(now, now + charge)) {
                return null;
            }
        }
    }

    /** Counts a blob the store holds, whatever the bounds (what is stored is held, even past a lowered quota). */
    void add(long user, long sizeBytes) {
        long charge = charge(sizeBytes);
        userBytes.merge(user, charge, Long::sum);
        storeBytes.addAndGet(charge);
    }

    /** Gives back a blob's bytes: its upload failed, or the sweep deleted it. */
    void release(long user, long sizeBytes) {
        long charge = charge(sizeBytes);
        giveBack(user, charge);
        storeBytes.addAndGet(-charge);
    }

    private void giveBack(long user, long charge) {
        userBytes.computeIfPresent(user, (key, held) -> held > charge ? held - charge : null);
    }

    /** The bytes {@code user} holds. */
    public long userBytes(long user) {
        return userBytes.getOrDefault(user, 0L);
    }

    /** The bytes the store holds, every user together. */
    public long storeBytes() {
        return storeBytes.get();
    }

    public long maxStoreBytes() {
        return maxStoreBytes;
    }

    public long userQuotaBytes() {
        return userQuotaBytes;
    }
}
