package io.switchboard.simulator.run;

import io.switchboard.core.metrics.CounterKind;
import io.switchboard.core.metrics.CounterSpec;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.metrics.ShardCounter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the JVM and the embedded server did over a run's workload (warm-up, measured window and drain): every server
 * counter (a total as its change since the start, a level as it stands at the end), each garbage collector's
 * collections and time, and the heap and journal over the sending ({@link ResourceTrend}). Server and simulator share
 * the JVM, so the collections and the heap are both ends'.
 */
final class RuntimeFigures implements ServerFigures {
    private final ServerMetrics metrics;
    private final Map<String, Long> countersAtStart;
    private final Map<String, long[]> gcAtStart;
    private final ResourceTrend trend;

    private RuntimeFigures(ServerMetrics metrics, Path journal, Duration sending) {
        this.metrics = metrics;
        this.countersAtStart = counters(metrics, Map.of());
        this.gcAtStart = collections();
        this.trend = ResourceTrend.start(journal, sending, ResourceTrend.Heap.THIS_JVM);
    }

    /**
     * Takes the starting point: call just before the workload starts, which sends for {@code sending} (warm-up and
     * measured window) into the server's {@code journal} directory.
     */
    static RuntimeFigures start(ServerMetrics metrics, Path journal, Duration sending) {
        return new RuntimeFigures(metrics, journal, sending);
    }

    @Override
    public Map<String, Object> resources() {
        try {
            return trend.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the resource sampler stopped", e);
        }
    }

    /** The server's counters from the start until now: {@code serverCounters} of summary.json. */
    @Override
    public Map<String, Long> counters() {
        return counters(metrics, countersAtStart);
    }

    /**
     * Collections and their time per collector from the start until now, and the heap's size at the JVM's start and its
     * limit: {@code gc}. A heap that starts below its limit is grown by collections, some inside the window.
     */
    @Override
    public Map<String, Object> gc() {
        Map<String, Object> collectors = new LinkedHashMap<>();
        long totalMs = 0;
        for (Map.Entry<String, long[]> now : collections().entrySet()) {
            long[] start = gcAtStart.getOrDefault(now.getKey(), new long[2]);
            long ms = now.getValue()[1] - start[1];
            totalMs += ms;
            collectors.put(now.getKey(), Map.of("collections", now.getValue()[0] - start[0], "timeMs", ms));
        }
        Map<String, Object> gc = new LinkedHashMap<>();
        gc.put("timeMs", totalMs);
        gc.put("collectors", collectors);
        gc.put(
                "heapInitialBytes",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getInit());
        gc.put("heapMaxBytes", Runtime.getRuntime().maxMemory());
        return gc;
    }

    /** Every counter by its metric name: totals less their value in {@code start} (when there), levels as they are. */
    private static Map<String, Long> counters(ServerMetrics metrics, Map<String, Long> start) {
        Map<String, Long> counters = new LinkedHashMap<>();
        for (ShardCounter counter : ShardCounter.values()) {
            put(counters, counter.spec(), metrics.total(counter), start);
        }
        for (LoopCounter counter : LoopCounter.values()) {
            put(counters, counter.spec(), metrics.total(counter), start);
        }
        return counters;
    }

    private static void put(Map<String, Long> counters, CounterSpec spec, long value, Map<String, Long> start) {
        long base = spec.kind() == CounterKind.TOTAL ? start.getOrDefault(spec.key(), 0L) : 0;
        counters.put(spec.key(), value - base);
    }

    /** Per collector: {collections, time in ms} so far. */
    private static Map<String, long[]> collections() {
        Map<String, long[]> collections = new LinkedHashMap<>();
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections.put(bean.getName(), new long[] {bean.getCollectionCount(), bean.getCollectionTime()});
        }
        return collections;
    }
}
