package io.switchboard.core.limits;

import io.switchboard.core.config.RateLimit;

/**
 * A token bucket kept as one long: the time at which it would be full again. {@code burst} tokens fit; each comes back
 * {@link RateLimit#intervalNs()} after it was taken; refill is computed when a token is asked for, from a time the
 * caller passes in (its cached clock, or a test's), so a bucket costs no timer and allocates nothing. Equivalent to the
 * generic cell rate algorithm. Not thread-safe: a bucket belongs to one thread, named by whoever holds it.
 */
public final class TokenBucket {
    private long fullAtNs;

    /** A full bucket at {@code nowNs}. */
    public TokenBucket(long nowNs) {
        this.fullAtNs = nowNs;
    }

    /**
     * Takes {@code weight} tokens if there are that many. Returns 0 when it took them; otherwise, having taken nothing,
     * how many nanoseconds until there will be. A weight above the burst counts as the burst (a whole full bucket), so
     * that every request can pass some time. A limit that is off always gives.
     */
    public long take(RateLimit limit, long weight, long nowNs) {
        if (limit.off()) {
            return 0;
        }
        long wanted = wantedFullAtNs(limit, weight, fullAtNs, nowNs);
        long waitNs = waitNs(limit, wanted, nowNs);
        if (waitNs > 0) {
            return waitNs;
        }
        fullAtNs = wanted;
        return 0;
    }

    /** When a bucket full at {@code fullAtNs} would be full again after {@code weight} tokens are taken at {@code nowNs}. */
    static long wantedFullAtNs(RateLimit limit, long weight, long fullAtNs, long nowNs) {
        // Compared by difference so that a nanoTime that wraps past Long.MAX_VALUE still orders correctly.
        long emptyFromNs = fullAtNs - nowNs > 0 ? fullAtNs : nowNs;
        return emptyFromNs + Math.min(weight, limit.burst()) * limit.intervalNs();
    }

    /** How long until the tokens behind {@code wantedFullAtNs} are there; 0 or less when they are now. */
    static long waitNs(RateLimit limit, long wantedFullAtNs, long nowNs) {
        return wantedFullAtNs - nowNs - limit.burst() * limit.intervalNs();
    }

    /** A wait from {@link #take} as protocol.md's {@code retryAfterMs}: whole milliseconds, rounded up, at least 1. */
    public static long retryAfterMs(long waitNs) {
        return (waitNs + 999_999) / 1_000_000;
    }
}
