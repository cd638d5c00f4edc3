package io.switchboard.core.router;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.owner.Outbound;
import java.util.concurrent.Executor;
import org.agrona.DirectBuffer;

/**
 * What a router needs of one I/O event loop: a way to run a task on it, and a writer to the connections it owns that
 * writes without flushing, plus the flush of everything written since the last one. Only the loop's own thread may use
 * {@link #writer()} and {@link #flushWritten()}.
 */
public interface IoLoop {
    int index();

    Executor executor();

    Outbound writer();

    void flushWritten();

    /**
     * Writes, without a flush, a frame already encoded as {@code length} bytes of sb.bin.v1 at {@code offset}, in the
     * connection's own encoding.
     */
    void writeEncoded(long connection, DirectBuffer binary, int offset, int length);

    /** The loop's counters; its outbox drain counts drains and records there. */
    CounterSet<LoopCounter> counters();
}
