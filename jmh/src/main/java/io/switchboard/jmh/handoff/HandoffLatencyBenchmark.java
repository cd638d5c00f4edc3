package io.switchboard.jmh.handoff;

import io.switchboard.core.config.RouterContext;
import io.switchboard.jmh.FixedRateSchedule;
import io.switchboard.jmh.LatencyProfiler;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.IdleStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Question: at a fixed offered rate, how long does a 64-byte command wait between the moment an I/O thread meant to
 * hand it over and the moment the shard takes it, for each hand-off? The benchmark thread is the producer: it sends
 * message k at its scheduled time {@code start + k / rate} (spinning until then) and stamps it with that time, not the
 * time it got to send; a consumer thread idles with the server's default idle strategy, as a shard does, and records
 * {@code now - scheduled} in an HdrHistogram. A producer that falls behind (a full queue) keeps the schedule, so the
 * delay of every message it held back counts: no coordinated omission.
 *
 * <p>Read the secondary results {@code latency.p50}, {@code .p99}, {@code .p999}, {@code .max} (ns; {@link
 * LatencyProfiler} reports them); the primary score is the rate the producer achieved (it should equal
 * {@code ratePerSec}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandoffLatencyBenchmark extends HandoffChoice {
    @Param({"100000", "1000000"})
    long ratePerSec;

    private Handoff handoff;
    private LatencyConsumer consumer;
    private FixedRateSchedule schedule;
    private long sent;

    @Setup(Level.Iteration)
    public void start() {
        handoff = Handoff.of(queue);
        schedule = new FixedRateSchedule(ratePerSec);
        sent = 0;
        consumer = new LatencyConsumer(handoff, RouterContext.IDLE_STRATEGY_DEFAULT.newStrategy());
        consumer.start();
    }

    @Benchmark
    public void send() {
        long scheduledNs = schedule.awaitNext();
        while (!handoff.offer(scheduledNs)) {
            Thread.onSpinWait();
        }
        sent++;
    }

    @TearDown(Level.Iteration)
    public void stop() throws InterruptedException {
        LatencyProfiler.publish(consumer.stopAfter(sent));
    }

    /** The shard's side: takes messages in batches and records each one's delay from its scheduled send time. */
    private static final class LatencyConsumer extends Thread {
        private final Handoff handoff;
        private final IdleStrategy idle;
        private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        private volatile long stopAt = Long.MAX_VALUE;
        private final LongConsumer recorder = this::record;
        private long taken;

        LatencyConsumer(Handoff handoff, IdleStrategy idle) {
            super("handoff-consumer");
            setDaemon(true);
            this.handoff = handoff;
            this.idle = idle;
        }

        @Override
        public void run() {
            while (taken < stopAt) {
                int count = handoff.drain(recorder, BATCH);
                taken += count;
                idle.idle(count);
            }
        }

        private void record(long scheduledNs) {
            histogram.recordValue(Math.min(System.nanoTime() - scheduledNs, histogram.getHighestTrackableValue()));
        }

        /** Waits until the consumer has taken all {@code sent} messages, then returns their latencies. */
        Histogram stopAfter(long sent) throws InterruptedException {
            stopAt = sent;
            join();
            return histogram;
        }
    }
}
