package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.ErrorCode;
import org.agrona.concurrent.AgentTerminationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command, task or peer record that threw fails alone: counted, logged (the first in full, then at most one a
 * second, so that a command that always fails cannot flood the log), and answered {@code internal} when it names a
 * connection; the shard goes on with the next. A stop ({@link AgentTerminationException}) is not a failure and goes on
 * up. Shard thread only.
 */
final class CommandFailures {
    static final String MESSAGE = "the server failed while handling this; it may not have been applied";
    private static final Logger LOG = LoggerFactory.getLogger(CommandFailures.class);
    private static final long LOG_INTERVAL_NS = 1_000_000_000L;

    private final String role;
    private final Outbound out;
    private final CounterSet<ShardCounter> counters;
    private long lastLogNs;
    private long unlogged;
    private boolean logged;

    CommandFailures(String role, Outbound out, CounterSet<ShardCounter> counters) {
        this.role = role;
        this.out = out;
        this.counters = counters;
    }

    /** {@code what} failed with {@code failure}; {@code connection} 0 when no one is waiting for an answer. */
    void failed(String what, RuntimeException failure, long connection, long id) {
        if (failure instanceof AgentTerminationException) {
            throw failure;
        }
        counters.increment(ShardCounter.COMMANDS_FAILED);
        if (connection != 0) {
            out.error(connection, ErrorCode.INTERNAL, id, MESSAGE, 0, 0);
        }
        long now = System.nanoTime();
        if (!logged || now - lastLogNs >= LOG_INTERVAL_NS) {
            LOG.error("{}: {} failed ({} more since the last logged)", role, what, unlogged, failure);
            logged = true;
            lastLogNs = now;
            unlogged = 0;
        } else {
            unlogged++;
        }
    }
}
