package io.switchboard.simulator.report;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a report shows of one run (one variant of one scenario), as read back from its results directory.
 *
 * @param summary the contents of {@code summary.json} (see results/README.md for its fields)
 * @param timeline one row per second of {@code timeseries.csv}
 * @param send2deliver the send→deliver latency distribution from the histogram log: percentile → microseconds
 * @param dir the run's directory, which the files its summary names (flame graphs) are relative to; null when the run
 *     was not read from one
 */
public record RunReport(
        Map<String, Object> summary, List<Second> timeline, List<PercentilePoint> send2deliver, Path dir) {
    /** A run not read from a directory: a report shows it without links to its files. */
    public RunReport(Map<String, Object> summary, List<Second> timeline, List<PercentilePoint> send2deliver) {
        this(summary, timeline, send2deliver, null);
    }

    /**
     * One second of the run.
     *
     * @param second seconds since sending started (warm-up included)
     * @param sent messages sent in that second
     * @param delivered first deliveries in that second
     * @param p99Micros send→deliver p99 of the messages delivered in that second
     */
    public record Second(int second, long sent, long delivered, long p99Micros) {}

    /** A point of the latency percentile distribution. */
    public record PercentilePoint(double percentile, long micros) {}
}
