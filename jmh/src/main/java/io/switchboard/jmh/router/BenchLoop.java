package io.switchboard.jmh.router;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.BinaryFrameDecoder;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.router.IoLoop;
import java.util.concurrent.Executor;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The benchmark thread as the one I/O loop that owns both connections, with no sockets: shards submit outbox drains
 * to it as they would to a Netty event loop, and the benchmark thread runs them in {@link #runTasks()}.
 */
final class BenchLoop implements IoLoop, Executor {
    /** Each outbox has at most one drain task pending, so a few slots are plenty. */
    private static final int TASK_CAPACITY = 64;

    private final ManyToOneConcurrentArrayQueue<Runnable> tasks = new ManyToOneConcurrentArrayQueue<>(TASK_CAPACITY);
    private final Outbound writer;
    private final CounterSet<LoopCounter> counters;
    private final BinaryFrameDecoder decoder = new BinaryFrameDecoder();
    private final Frame decoded = new Frame();

    BenchLoop(Outbound writer, CounterSet<LoopCounter> counters) {
        this.writer = writer;
        this.counters = counters;
    }

    @Override
    public int index() {
        return 0;
    }

    @Override
    public Executor executor() {
        return this;
    }

    @Override
    public void execute(Runnable task) {
        if (!tasks.offer(task)) {
            throw new IllegalStateException("more pending loop tasks than outboxes");
        }
    }

    @Override
    public Outbound writer() {
        return writer;
    }

    /** Frames reach the double at once: nothing is buffered, so nothing to flush. */
    @Override
    public void flushWritten() {}

    /**
     * Frames the shards encoded (welcomes; group messages and receipts) reach the double as a client would read
     * them: decoded.
     */
    @Override
    public void writeEncoded(long connection, DirectBuffer text, int offset, int length) {
        decoder.decode(text, offset, length, decoded);
        writer.frame(connection, decoded);
    }

    @Override
    public CounterSet<LoopCounter> counters() {
        return counters;
    }

    /** Runs the tasks submitted so far on the calling thread; returns how many. */
    int runTasks() {
        return tasks.drain(Runnable::run);
    }
}
