package io.switchboard.core.router;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LoopCounter;

/**
 * An I/O loop that is none of the network's: a thread of the program that embeds the server and hands its own
 * connections' commands to the {@link Router} itself (the simulator's direct transport). The server gives it its
 * index among the I/O loops (the low bits of its connections' references, {@link ConnectionRef}) and its counters as
 * it builds the router, which then writes to it as to any I/O loop. Sharded routing only: locked routing writes to
 * the connections from whichever thread holds a stripe's lock, and this loop's connections have no channel to write
 * to from another thread.
 */
@FunctionalInterface
public interface EmbeddedLoop {
    IoLoop attach(int index, CounterSet<LoopCounter> counters);
}
