package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.owner.RecordingOutbound;
import io.switchboard.core.protocol.BinaryFrameDecoder;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.JsonFrameEncoder;
import io.switchboard.core.router.ConnectionRef;
import io.switchboard.core.router.IoLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.agrona.DirectBuffer;

/**
 * An I/O loop whose tasks the test runs (or never runs: a loop that has stopped), recording what it is told. Shards may
 * submit tasks from their own threads; the test runs them on one.
 */
final class SteppedLoop implements IoLoop {
    final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    int flushes;
    private final CounterSet<LoopCounter> counters = CounterSet.standalone("loop", LoopCounter.class);
    final RecordingOutbound recorder = new RecordingOutbound();
    /** Frames the shard encoded itself (as sb.bin.v1), as their sb.json.v1 text for readable assertions. */
    final List<String> encoded = new ArrayList<>();

    private final Frame frame = new Frame();
    private final int index;

    SteppedLoop() {
        this(0);
    }

    /** The loop of {@code index} among the router's, as connections name it ({@link ConnectionRef#of}). */
    SteppedLoop(int index) {
        this.index = index;
    }

    @Override
    public int index() {
        return index;
    }

    /** Set when the loop has stopped: it refuses tasks, as a terminated Netty loop does. */
    boolean stopped;

    @Override
    public Executor executor() {
        return task -> {
            if (stopped) {
                throw new RejectedExecutionException("event executor terminated");
            }
            tasks.add(task);
        };
    }

    @Override
    public Outbound writer() {
        return recorder;
    }

    @Override
    public void flushWritten() {
        flushes++;
    }

    @Override
    public void writeEncoded(long connection, DirectBuffer binary, int offset, int length) {
        new BinaryFrameDecoder().decode(binary, offset, length, frame);
        encoded.add(new JsonFrameEncoder().encodeToString(frame));
    }

    @Override
    public CounterSet<LoopCounter> counters() {
        return counters;
    }

    /** Runs the loop's tasks until none is left; returns how many ran. */
    int runTasks() {
        int ran = 0;
        for (Runnable task; (task = tasks.poll()) != null; ran++) {
            task.run();
        }
        return ran;
    }
}
