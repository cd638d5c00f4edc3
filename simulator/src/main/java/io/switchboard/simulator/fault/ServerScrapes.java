package io.switchboard.simulator.fault;

import io.switchboard.core.metrics.CounterKind;
import io.switchboard.core.metrics.CounterSpec;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.metrics.ShardCounter;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server process's counters over a run's workload, scraped from its {@code /metrics}: each total as its change
 * since the workload started, summed over every process the run started (a process killed and started again counts
 * from zero), each level as the last process has it. A process's counts after its last scrape before a kill are lost
 * with it, so a kill scrapes just before. The same keys as an embedded server's counters in summary.json.
 */
public final class ServerScrapes {
    private static final String PREFIX = "switchboard_";

    private final Map<String, Long> finished = new LinkedHashMap<>();
    private Map<String, Long> atStart;

    /** The workload starts on a running process: its totals so far do not count. */
    public void start(URI metrics) throws IOException, InterruptedException {
        atStart = counters(PrometheusText.scrape(metrics));
    }

    /** The process is about to end: what it counted since its start (or the workload's) is kept. */
    public void ending(URI metrics) throws IOException, InterruptedException {
        Map<String, Long> now = counters(PrometheusText.scrape(metrics));
        for (CounterSpec spec : specs()) {
            if (spec.kind() == CounterKind.TOTAL) {
                finished.merge(spec.key(), now.get(spec.key()) - atStart.getOrDefault(spec.key(), 0L), Long::sum);
            }
        }
        atStart = Map.of();
    }

    /** The counters from the workload's start until now: {@code serverCounters} of summary.json. */
    public Map<String, Long> counters(URI metrics) throws IOException, InterruptedException {
        Map<String, Long> now = counters(PrometheusText.scrape(metrics));
        Map<String, Long> counters = new LinkedHashMap<>();
        for (CounterSpec spec : specs()) {
            long value = now.get(spec.key());
            counters.put(
                    spec.key(),
                    spec.kind() == CounterKind.TOTAL
                            ? finished.getOrDefault(spec.key(), 0L) + value - atStart.getOrDefault(spec.key(), 0L)
                            : value);
        }
        return counters;
    }

    /** The last process's heap and collections as its JVM reports them (Micrometer's JVM metrics): {@code gc}. */
    public static Map<String, Object> gc(URI metrics) throws IOException, InterruptedException {
        Map<String, Double> samples = PrometheusText.scrape(metrics);
        Map<String, Object> gc = new LinkedHashMap<>();
        gc.put("timeMs", Math.round(PrometheusText.sum(samples, "jvm_gc_pause_seconds_sum", null) * 1000));
        gc.put("collections", Math.round(PrometheusText.sum(samples, "jvm_gc_pause_seconds_count", null)));
        gc.put("heapUsedBytes", Math.round(PrometheusText.sum(samples, "jvm_memory_used_bytes", "area=\"heap\"")));
        gc.put("heapMaxBytes", Math.round(PrometheusText.sum(samples, "jvm_memory_max_bytes", "area=\"heap\"")));
        gc.put("source", "the server process's /metrics, at the end of the run");
        return gc;
    }

    private static Map<String, Long> counters(Map<String, Double> samples) {
        Map<String, Long> counters = new LinkedHashMap<>();
        for (CounterSpec spec : specs()) {
            String name = PREFIX + spec.metricName().replace('.', '_');
            String label = spec.kindTag() == null ? null : CounterSpec.KIND_TAG + "=\"" + spec.kindTag() + "\"";
            counters.put(spec.key(), Math.round(PrometheusText.sum(samples, name, label)));
        }
        return counters;
    }

    private static List<CounterSpec> specs() {
        List<CounterSpec> specs = new ArrayList<>();
        for (ShardCounter counter : ShardCounter.values()) {
            specs.add(counter.spec());
        }
        for (LoopCounter counter : LoopCounter.values()) {
            specs.add(counter.spec());
        }
        return specs;
    }
}
