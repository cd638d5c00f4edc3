package io.switchboard.core.router;

import io.switchboard.core.session.Outbound;
import java.util.concurrent.Executor;

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
}
