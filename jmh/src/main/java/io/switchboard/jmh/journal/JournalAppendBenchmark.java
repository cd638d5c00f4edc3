package io.switchboard.jmh.journal;

import io.switchboard.core.journal.JournalPretoucher;
import io.switchboard.jmh.BenchmarkBase;
import io.switchboard.jmh.FixedSend;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * Question: what does journaling a message before its ack cost the shard thread, by body size? Throughput (ops/µs)
 * and, in sample mode, the distribution of single appends (p99, p99.9, max): memory-mapped appends stall when the writer
 * crosses into unmapped or unread pages, and the ack path pays for that; {@code pretouch} runs the server's {@link
 * JournalPretoucher} ahead of the writer, as {@code journal.pretouch} does.
 */
@State(Scope.Thread)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JournalAppendBenchmark extends BenchmarkBase {
    @Param({"100", "1000", "10000"})
    int bodyBytes;

    @Param({"false", "true"})
    boolean pretouch;

    private BenchJournal journal;
    private FixedSend send;
    private final long[] seqs = new long[1];

    @Setup(Level.Trial)
    public void open() throws IOException {
        journal = new BenchJournal("journal-append", pretouch);
        send = new FixedSend(bodyBytes);
    }

    @Benchmark
    public int append() {
        send.id++;
        seqs[0] = send.id;
        return journal.journal.accepted(send, System.currentTimeMillis(), seqs);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
    }
}
