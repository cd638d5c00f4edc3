package io.switchboard.core.metrics;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * A latency histogram written by one thread on the hot path (HdrHistogram's single-writer recorder: a few nanoseconds,
 * no allocation, no lock) and read at scrape time by others, which fold each interval into a cumulative histogram.
 */
public final class LatencyRecorder {
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String ownerTag;
    private final String owner;
    private final SingleWriterRecorder recorder = new SingleWriterRecorder(1, MAX_NANOS, 2);
    private final Histogram cumulative = new Histogram(1, MAX_NANOS, 2);
    private Histogram interval;

    LatencyRecorder(String ownerTag, String owner) {
        this.ownerTag = ownerTag;
        this.owner = owner;
    }

    /** Records one latency; the owner thread only. Values beyond a minute count as a minute. */
    public void recordNanos(long nanos) {
        recorder.recordValue(Math.max(0, Math.min(nanos, MAX_NANOS)));
    }

    /** Folds what was recorded since the last call into the cumulative histogram and returns a copy of it. */
    public synchronized Histogram cumulative() {
        interval = recorder.getIntervalHistogram(interval);
        cumulative.add(interval);
        return cumulative.copy();
    }

    /** {@code shard} or {@code loop}: which kind of thread records it. */
    public String ownerTag() {
        return ownerTag;
    }

    public String owner() {
        return owner;
    }
}
