package io.switchboard.jmh.handoff;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import io.switchboard.jmh.BenchmarkBase;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.MpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Question: what does handing a 64-byte command from an I/O thread to a shard cost, with the ring the server uses
 * (Agrona many-to-one; one-to-one for reference) against the usual alternatives: {@code ArrayBlockingQueue}, JCTools'
 * MPSC queue and the LMAX Disruptor? One producer and one consumer thread; read the {@code messages} counter (messages
 * per µs the consumer took, in batches of at most 64): the methods' own scores count calls, empty polls included. Agrona's rings copy the 64 bytes; the others pass a
 * reference to a pre-built message, as limits.md measured them.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class HandoffBenchmark extends BenchmarkBase {
    private static final int MESSAGE_BYTES = 64;
    private static final int CAPACITY = 64 * 1024;
    private static final int TYPE = 1;
    /** Messages a consumer takes per call at most, as a shard drains its inbox in bounded batches. */
    private static final int BATCH = 64;

    @Param({"agrona-many-to-one", "agrona-one-to-one", "array-blocking-queue", "jctools-mpsc", "disruptor"})
    String queue;

    private org.agrona.concurrent.ringbuffer.RingBuffer ring;
    private Queue<long[]> references;
    private RingBuffer<long[]> disruptor;
    private EventPoller<long[]> poller;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_BYTES]);
    private final long[] pooled = new long[MESSAGE_BYTES / Long.BYTES];
    private long taken;
    private final MessageHandler countRecord = (type, buffer, index, length) -> taken += buffer.getLong(index);
    private final EventPoller.Handler<long[]> countEvent = (event, sequence, endOfBatch) -> {
        taken += event[0];
        return true;
    };

    /** Messages the consumer took: the figure to read (JMH also reports calls, which include empty polls). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Taken {
        public long messages;
    }

    @Setup(Level.Iteration)
    public void create() {
        UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                CAPACITY * MESSAGE_BYTES / 8 + RingBufferDescriptor.TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH));
        switch (queue) {
            case "agrona-many-to-one" -> ring = new ManyToOneRingBuffer(buffer);
            case "agrona-one-to-one" -> ring = new OneToOneRingBuffer(buffer);
            case "array-blocking-queue" -> references = new ArrayBlockingQueue<>(CAPACITY);
            case "jctools-mpsc" -> references = new MpscArrayQueue<>(CAPACITY);
            case "disruptor" -> {
                disruptor = RingBuffer.createMultiProducer(() -> new long[MESSAGE_BYTES / Long.BYTES], CAPACITY);
                poller = disruptor.newPoller();
                disruptor.addGatingSequences(poller.getSequence());
            }
            default -> throw new IllegalArgumentException(queue);
        }
        message.putLong(0, 1);
        pooled[0] = 1;
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public boolean produce() {
        if (ring != null) {
            return ring.write(TYPE, message, 0, MESSAGE_BYTES);
        }
        if (references != null) {
            return references.offer(pooled);
        }
        long sequence;
        try {
            sequence = disruptor.tryNext();
        } catch (com.lmax.disruptor.InsufficientCapacityException full) {
            return false;
        }
        disruptor.get(sequence)[0] = 1;
        disruptor.publish(sequence);
        return true;
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(1)
    public long consume(Taken counted) throws Exception {
        long before = taken;
        if (ring != null) {
            ring.read(countRecord, BATCH);
        } else if (references != null) {
            for (int i = 0; i < BATCH; i++) {
                long[] next = references.poll();
                if (next == null) {
                    break;
                }
                taken += next[0];
            }
        } else {
            poller.poll(countEvent);
        }
        counted.messages += taken - before;
        return taken;
    }
}
