package io.switchboard.simulator.run;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * A run's figures second by second, from the workload's start: messages sent and delivered, and the send→deliver
 * latency of the timed deliveries, as a row of {@code timeseries.csv} and a histogram of the {@code .hlog} each.
 * Single-threaded: the client I/O thread.
 */
final class SecondSeries {
    private static final long SECOND_NS = 1_000_000_000L;

    private final Histogram thisSecond = new Histogram(WindowFigures.MAX_MICROS, 3);
    private final List<Histogram> histograms = new ArrayList<>();
    /** {@code second, sent, delivered, p99Micros}. */
    private final List<long[]> rows = new ArrayList<>();

    /** What the progress line shows; published once per second, read by the main thread. */
    record Progress(double elapsedSec, long sent, long delivered, long p99Micros, long errors, int online) {}

    private volatile Progress progress = new Progress(0, 0, 0, 0, 0, 0);
    private long firstNs;
    private long startNs;
    private long sent;
    private long delivered;

    void start(long nowNs) {
        firstNs = nowNs;
        startNs = nowNs;
    }

    /** Ends the current second ({@link #close}) and publishes the progress line's figures as of {@code nowNs}. */
    void publish(long nowNs, Oracle.Progress counts, int online) {
        long p99 = close();
        progress =
                new Progress((nowNs - firstNs) / 1e9, counts.sent(), counts.delivered(), p99, counts.errors(), online);
    }

    Progress progress() {
        return progress;
    }

    /** Whether the current second is over at {@code nowNs}. */
    boolean due(long nowNs) {
        return nowNs - startNs >= SECOND_NS;
    }

    void sent() {
        sent++;
    }

    void delivered() {
        delivered++;
    }

    /** A delivery to a session already open at its send, timed from its intended send time. */
    void timed(long micros) {
        thisSecond.recordValue(micros);
    }

    /** Ends the current second: keeps its row and histogram and returns its p99 (µs); the next second starts. */
    long close() {
        long p99 = thisSecond.getValueAtPercentile(99);
        rows.add(new long[] {rows.size(), sent, delivered, p99});
        histograms.add(thisSecond.copy());
        thisSecond.reset();
        sent = 0;
        delivered = 0;
        startNs += SECOND_NS;
        return p99;
    }

    List<Histogram> histograms() {
        return List.copyOf(histograms);
    }

    List<long[]> rows() {
        return List.copyOf(rows);
    }
}
