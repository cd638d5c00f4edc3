package io.switchboard.jmh.handoff;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Question: what does handing a 64-byte command from an I/O thread to a shard cost, with the ring the server uses
 * (Agrona many-to-one; one-to-one for reference) against the usual alternatives: {@code ArrayBlockingQueue}, JCTools'
 * MPSC queue and the LMAX Disruptor? One producer and one consumer thread, as fast as they go; read the
 * {@code messages} counter (messages per µs the consumer took, in batches of at most 64): the methods' own scores count
 * calls, empty polls included. {@link HandoffLatencyBenchmark} asks the latency question at a fixed rate.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HandoffBenchmark extends HandoffChoice {
    private Handoff handoff;
    private long taken;
    private final LongConsumer count = value -> taken += value;

    /** Messages the consumer took: the figure to read (JMH also reports calls, which include empty polls). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Taken {
        public long messages;
    }

    @Setup(Level.Iteration)
    public void create() {
        handoff = Handoff.of(queue);
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public boolean produce() {
        return handoff.offer(1);
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long consume(Taken counted) {
        counted.messages += handoff.drain(count, BATCH);
        return taken;
    }
}
