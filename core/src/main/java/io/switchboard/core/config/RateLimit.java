package io.switchboard.core.config;

import java.util.concurrent.TimeUnit;

/**
 * One configured rate: {@code rate} tokens per {@code window}, at most {@code burst} saved up. A rate of 0 turns the
 * limit off. Immutable; the buckets that use it hold only their own state.
 */
public final class RateLimit {
    /** No limit. */
    public static final RateLimit OFF = new RateLimit(0, TimeUnit.SECONDS, 1);

    private final long rate;
    private final TimeUnit window;
    private final long burst;
    /** Nanoseconds one token takes to come back. */
    private final long intervalNs;

    public RateLimit(long rate, TimeUnit window, long burst) {
        this.rate = rate;
        this.window = window;
        this.burst = burst;
        this.intervalNs = rate == 0 ? 0 : Math.max(1, window.toNanos(1) / rate);
    }

    /** The same window with {@code factor} times the rate and the burst. */
    public RateLimit times(int factor) {
        return new RateLimit(rate * factor, window, burst * factor);
    }

    public boolean off() {
        return rate == 0;
    }

    public long rate() {
        return rate;
    }

    public long burst() {
        return burst;
    }

    public long intervalNs() {
        return intervalNs;
    }

    @Override
    public String toString() {
        if (off()) {
            return "off";
        }
        return rate + "/" + (window == TimeUnit.MINUTES ? "min" : "s") + " burst " + burst;
    }
}
