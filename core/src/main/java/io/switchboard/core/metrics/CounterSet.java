package io.switchboard.core.metrics;

import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The Agrona counters of one owner (a shard, a stripe or an I/O loop), one per constant of an enum of counters,
 * allocated from the server's {@link CountersManager} so that tools reading the counters file see them too.
 *
 * @param <E> the enum of counters
 */
public final class CounterSet<E extends Enum<E> & CounterDescriptor> {
    private final AtomicCounter[] counters;

    CounterSet(CountersManager manager, String owner, Class<E> type) {
        E[] constants = type.getEnumConstants();
        this.counters = new AtomicCounter[constants.length];
        for (E constant : constants) {
            CounterSpec spec = constant.spec();
            counters[constant.ordinal()] = manager.newCounter(owner + " " + spec.key(), spec.typeId());
        }
    }

    /** Counters that belong to no manager, for tests and tools that run a table without a server. */
    public static <E extends Enum<E> & CounterDescriptor> CounterSet<E> standalone(String owner, Class<E> type) {
        return new CounterSet<>(ServerMetrics.newCountersManager(type.getEnumConstants().length), owner, type);
    }

    /** Single-writer increment: the owner's thread only. */
    public void increment(E counter) {
        counters[counter.ordinal()].incrementRelease();
    }

    /** Single-writer decrement of a level. */
    public void decrement(E counter) {
        counters[counter.ordinal()].decrementRelease();
    }

    /** Single-writer add. */
    public void add(E counter, long delta) {
        AtomicCounter atomic = counters[counter.ordinal()];
        atomic.setRelease(atomic.getPlain() + delta);
    }

    /** Increment from any thread. */
    public void incrementAtomic(E counter) {
        counters[counter.ordinal()].increment();
    }

    /** Add from any thread. */
    public void addAtomic(E counter, long delta) {
        counters[counter.ordinal()].getAndAdd(delta);
    }

    public long get(E counter) {
        return counters[counter.ordinal()].get();
    }
}
