package io.switchboard.jmh.handoff;

import io.switchboard.jmh.BenchmarkBase;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The hand-offs both hand-off benchmarks compare, and how a consumer takes from them. JMH wants a {@code @State} on the
 * class that declares a {@code @Param}; each benchmark sets its own scope.
 */
@State(Scope.Thread)
public abstract class HandoffChoice extends BenchmarkBase {
    /** Messages a consumer takes per poll at most, as a shard drains its inbox in bounded batches. */
    static final int BATCH = 64;

    @Param({
        Handoff.AGRONA_MANY_TO_ONE,
        Handoff.AGRONA_ONE_TO_ONE,
        Handoff.ARRAY_BLOCKING_QUEUE,
        Handoff.JCTOOLS_MPSC,
        Handoff.DISRUPTOR
    })
    String queue;
}
