package io.switchboard.jmh.journal;

import io.switchboard.jmh.BenchmarkBase;
import io.switchboard.jmh.FixedRateSchedule;
import io.switchboard.jmh.FixedSend;
import io.switchboard.jmh.LatencyProfiler;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Question: at a fixed rate of sends, how long does the shard wait for the journal before it can ack, with and without
 * the pretoucher? The benchmark thread appends message k at its scheduled time {@code start + k / rate} (spinning until
 * then) and records {@code end of append - scheduled} in an HdrHistogram, so a stalled append also delays, and counts
 * for, every message scheduled behind it (no coordinated omission). A tight loop ({@link JournalAppendBenchmark})
 * appends hundreds of MB/s, far more than a server at its rates, and meets other stalls there too (the kernel's
 * write-back of that much).
 *
 * <p>Read the secondary results {@code latency.p50}, {@code .p99}, {@code .p999}, {@code .max} (ns; {@link
 * LatencyProfiler} reports them); the primary score is the rate achieved (it should equal {@code ratePerSec}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JournalAppendLatencyBenchmark extends BenchmarkBase {
    /** About 30 MB/s of journal: a stall every 8 MiB comes about four times a second. */
    @Param({"200000"})
    long ratePerSec;

    @Param({"100"})
    int bodyBytes;

    @Param({"false", "true"})
    boolean pretouch;

    private BenchJournal journal;
    private FixedSend send;
    private FixedRateSchedule schedule;
    private final long[] seqs = new long[1];
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

    @Setup(Level.Trial)
    public void open() throws IOException {
        journal = new BenchJournal("journal-latency", pretouch);
        send = new FixedSend(bodyBytes);
        schedule = new FixedRateSchedule(ratePerSec);
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        histogram.reset();
        schedule.restart();
    }

    @Benchmark
    public int append() {
        long scheduledNs = schedule.awaitNext();
        send.id++;
        seqs[0] = send.id;
        int cycle = journal.journal.accepted(send, System.currentTimeMillis(), seqs);
        histogram.recordValue(Math.min(System.nanoTime() - scheduledNs, histogram.getHighestTrackableValue()));
        return cycle;
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        LatencyProfiler.publish(histogram.copy());
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
    }
}
