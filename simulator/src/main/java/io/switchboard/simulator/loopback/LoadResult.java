package io.switchboard.simulator.loopback;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one run measured. Latencies are microseconds from each message's intended send time, so a stalled sender or
 * server shows up as latency rather than as a lower offered rate (no coordinated omission).
 */
record LoadResult(
        String variant,
        Map<String, String> settings,
        LoadSpec spec,
        double achievedPerSecond,
        Histogram sendToDeliver,
        Histogram sendToAck,
        long sent,
        long acked,
        long delivered,
        long duplicates,
        long errors,
        String firstError)
        implements MeasuredLoad {
    @Override
    public long lost() {
        return Math.max(0, acked - delivered);
    }
}
