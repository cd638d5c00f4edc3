package io.switchboard.jmh;

import java.util.Collection;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the latency histogram a benchmark recorded in an iteration as secondary results ({@code latency.p50},
 * {@code .p99}, {@code .p999} averaged over iterations, {@code .max} the largest), in ns. JMH's own aux counters
 * would sum percentiles over iterations; a profiler's results carry their own aggregation. {@code ./switchboard bench}
 * always adds it; with the bare jar add {@code -prof io.switchboard.jmh.LatencyProfiler}.
 *
 * <p>The histogram crosses from the benchmark to the profiler through a static: JMH creates the profiler itself and
 * gives it no handle on the benchmark's state. Both run in the same forked JVM, one benchmark at a time.
 */
public final class LatencyProfiler implements InternalProfiler {
    private static final String UNIT = "ns";
    private static volatile Histogram recorded;

    /** Called by a benchmark at the end of an iteration with the latencies it recorded in that iteration. */
    public static void publish(Histogram iteration) {
        recorded = iteration;
    }

    @Override
    public String getDescription() {
        return "latency percentiles (ns) that a benchmark recorded in HdrHistogram";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        recorded = null;
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        Histogram histogram = recorded;
        if (histogram == null) {
            return List.of();
        }
        return List.of(
                percentile("latency.p50", histogram, 50),
                percentile("latency.p99", histogram, 99),
                percentile("latency.p999", histogram, 99.9),
                new ScalarResult("latency.max", histogram.getMaxValue(), UNIT, AggregationPolicy.MAX));
    }

    private static ScalarResult percentile(String label, Histogram histogram, double percentile) {
        return new ScalarResult(label, histogram.getValueAtPercentile(percentile), UNIT, AggregationPolicy.AVG);
    }
}
