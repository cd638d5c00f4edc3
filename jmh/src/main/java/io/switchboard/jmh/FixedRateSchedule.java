package io.switchboard.jmh;

import java.util.concurrent.TimeUnit;

/**
 * An open-loop schedule for latency benchmarks: message k is due at {@code start + k / rate}, the start being the first
 * message's time (JMH may start its loop a while after the setup). A sender that falls behind keeps the schedule, so
 * the delay of every message it held back counts from that message's due time: no coordinated omission.
 */
public final class FixedRateSchedule {
    private final long intervalNs;
    private long nextNs;

    public FixedRateSchedule(long ratePerSec) {
        intervalNs = TimeUnit.SECONDS.toNanos(1) / ratePerSec;
    }

    /** The next message is the first: the schedule starts with it. */
    public void restart() {
        nextNs = 0;
    }

    /** Spins until the next message is due and returns its due time (ns, {@link System#nanoTime()}). */
    public long awaitNext() {
        long now = System.nanoTime();
        if (nextNs == 0) {
            nextNs = now;
        }
        long dueNs = nextNs;
        nextNs += intervalNs;
        while (now < dueNs) {
            Thread.onSpinWait();
            now = System.nanoTime();
        }
        return dueNs;
    }
}
