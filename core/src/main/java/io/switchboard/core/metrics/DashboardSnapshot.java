package io.switchboard.core.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What the live dashboard shows, taken once a second: totals (the page turns them into rates), levels, and command
 * latency percentiles over the last interval only. Not thread-safe: one instance per dashboard feed, which keeps the
 * previous cumulative histograms to subtract.
 */
public final class DashboardSnapshot {
    private final ServerMetrics metrics;
    private Histogram previous;

    public DashboardSnapshot(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    /** The next snapshot as a JSON-ready map. */
    public Map<String, Object> take() {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("ts", System.currentTimeMillis());
        snapshot.put("routing", metrics.routing());
        snapshot.put("sessions", metrics.total(LoopCounter.SESSIONS_ONLINE));
        snapshot.put(
                "connections",
                metrics.total(LoopCounter.CONNECTIONS_OPENED) - metrics.total(LoopCounter.CONNECTIONS_CLOSED));
        snapshot.put("accepted", metrics.total(ShardCounter.MESSAGES_ACCEPTED));
        snapshot.put("delivered", metrics.total(ShardCounter.MESSAGES_DELIVERED));
        snapshot.put("acknowledged", metrics.total(ShardCounter.MESSAGES_ACKNOWLEDGED));
        snapshot.put("queued", metrics.total(ShardCounter.MESSAGES_QUEUED));
        snapshot.put(
                "receipts", metrics.total(ShardCounter.RECEIPTS_DELIVERED) + metrics.total(ShardCounter.RECEIPTS_READ));
        snapshot.put("rejected", metrics.total(ShardCounter.MESSAGES_REJECTED));
        snapshot.put("inboxRefusals", metrics.total(LoopCounter.INBOX_REFUSALS));
        snapshot.put("commandMicros", recentLatency());
        return snapshot;
    }

    private Map<String, Long> recentLatency() {
        List<LatencyRecorder> recorders = metrics.commandLatency();
        Histogram cumulative = new Histogram(1, LatencyRecorder.MAX_NANOS, 2);
        for (LatencyRecorder recorder : recorders) {
            cumulative.add(recorder.cumulative());
        }
        Histogram recent = cumulative.copy();
        if (previous != null) {
            recent.subtract(previous);
        }
        previous = cumulative;
        Map<String, Long> micros = new LinkedHashMap<>();
        micros.put("p50", recent.getValueAtPercentile(50) / 1000);
        micros.put("p99", recent.getValueAtPercentile(99) / 1000);
        micros.put("p999", recent.getValueAtPercentile(99.9) / 1000);
        micros.put("max", recent.getMaxValue() / 1000);
        micros.put("count", recent.getTotalCount());
        return micros;
    }
}
