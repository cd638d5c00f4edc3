package io.switchboard.core.router.sharded;

import org.agrona.concurrent.AgentTerminationException;

/**
 * How a shard stops waiting for room in a full ring when its runner closes. A shard that waits on a ring nobody drains
 * any more (the I/O loops stop before the router does) would wait, and {@code AgentRunner.close} retry, forever;
 * {@code close} interrupts a shard thread that does not stop in time, and the wait ends the agent then. What the
 * shard was writing is lost with the process, as at any stop: the journal holds what was acknowledged.
 */
final class ClosingWait {
    private ClosingWait() {}

    /**
     * Call on a shard thread after each idle round of a wait for room in a ring: {@code ring} and {@code number} name
     * it, joined only when the wait ends, so that the rounds allocate nothing.
     */
    static void stopIfClosing(String ring, int number) {
        if (Thread.currentThread().isInterrupted()) {
            throw new AgentTerminationException("closing while waiting for room in " + ring + number);
        }
    }
}
