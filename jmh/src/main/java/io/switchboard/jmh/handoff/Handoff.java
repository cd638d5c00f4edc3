package io.switchboard.jmh.handoff;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.LongConsumer;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.jctools.queues.MpscArrayQueue;

/**
 * One of the thread hand-offs the benchmarks compare, carrying a 64-byte message whose first eight bytes are a value
 * the consumer reads (a count or a timestamp). One producer thread calls {@link #offer}, one consumer thread calls
 * {@link #drain}. Agrona's rings copy the 64 bytes; the other queues pass a reference to a pooled message, as
 * limits.md measured them.
 */
abstract class Handoff {
    static final String AGRONA_MANY_TO_ONE = "agrona-many-to-one";
    static final String AGRONA_ONE_TO_ONE = "agrona-one-to-one";
    static final String ARRAY_BLOCKING_QUEUE = "array-blocking-queue";
    static final String JCTOOLS_MPSC = "jctools-mpsc";
    static final String DISRUPTOR = "disruptor";
    static final int MESSAGE_BYTES = 64;
    static final int CAPACITY = 64 * 1024;

    /** Hands over a message carrying {@code value}; false when the queue is full. */
    abstract boolean offer(long value);

    /** Takes at most {@code limit} messages, passing each one's value to {@code sink}; returns how many. */
    abstract int drain(LongConsumer sink, int limit);

    static Handoff of(String name) {
        return switch (name) {
            case AGRONA_MANY_TO_ONE -> new AgronaRing(new ManyToOneRingBuffer(ringBuffer()));
            case AGRONA_ONE_TO_ONE -> new AgronaRing(new OneToOneRingBuffer(ringBuffer()));
            case ARRAY_BLOCKING_QUEUE -> new ReferenceQueue(new ArrayBlockingQueue<>(CAPACITY));
            case JCTOOLS_MPSC -> new ReferenceQueue(new MpscArrayQueue<>(CAPACITY));
            case DISRUPTOR -> new Disruptor();
            default -> throw new IllegalArgumentException("unknown hand-off " + name);
        };
    }

    private static UnsafeBuffer ringBuffer() {
        // A record is the message plus an 8-byte header, so CAPACITY records need 72 x CAPACITY bytes: the next power
        // of
        // two holds as many messages as the other queues.
        return new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                2 * MESSAGE_BYTES * CAPACITY + RingBufferDescriptor.TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH));
    }

    private static final class AgronaRing extends Handoff implements MessageHandler {
        private static final int TYPE = 1;
        private final org.agrona.concurrent.ringbuffer.RingBuffer ring;
        private final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_BYTES]);
        private LongConsumer sink;

        AgronaRing(org.agrona.concurrent.ringbuffer.RingBuffer ring) {
            this.ring = ring;
        }

        @Override
        boolean offer(long value) {
            message.putLong(0, value);
            return ring.write(TYPE, message, 0, MESSAGE_BYTES);
        }

        @Override
        int drain(LongConsumer sink, int limit) {
            this.sink = sink;
            return ring.read(this, limit);
        }

        @Override
        public void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
            sink.accept(buffer.getLong(index));
        }
    }

    private static final class ReferenceQueue extends Handoff {
        /**
         * Twice the queue's capacity: offering message k needs message k - CAPACITY taken, so the slot reused, that of
         * k - 2 x CAPACITY, was read completely by the single consumer before it took the next one.
         */
        private final long[][] pool = new long[2 * CAPACITY][MESSAGE_BYTES / Long.BYTES];

        private final Queue<long[]> queue;
        private int next;

        ReferenceQueue(Queue<long[]> queue) {
            this.queue = queue;
        }

        @Override
        boolean offer(long value) {
            long[] message = pool[next];
            message[0] = value;
            if (!queue.offer(message)) {
                return false;
            }
            next = (next + 1) & (pool.length - 1);
            return true;
        }

        @Override
        int drain(LongConsumer sink, int limit) {
            int taken = 0;
            for (long[] message; taken < limit && (message = queue.poll()) != null; taken++) {
                sink.accept(message[0]);
            }
            return taken;
        }
    }

    private static final class Disruptor extends Handoff implements EventPoller.Handler<long[]> {
        private final RingBuffer<long[]> ring =
                RingBuffer.createMultiProducer(() -> new long[MESSAGE_BYTES / Long.BYTES], CAPACITY);
        private final EventPoller<long[]> poller = ring.newPoller();
        private LongConsumer sink;
        private int limit;
        private int taken;

        Disruptor() {
            ring.addGatingSequences(poller.getSequence());
        }

        @Override
        boolean offer(long value) {
            long sequence;
            try {
                sequence = ring.tryNext();
            } catch (InsufficientCapacityException full) {
                return false;
            }
            ring.get(sequence)[0] = value;
            ring.publish(sequence);
            return true;
        }

        @Override
        int drain(LongConsumer sink, int limit) {
            this.sink = sink;
            this.limit = limit;
            taken = 0;
            try {
                poller.poll(this);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return taken;
        }

        @Override
        public boolean onEvent(long[] event, long sequence, boolean endOfBatch) {
            sink.accept(event[0]);
            return ++taken < limit;
        }
    }
}
