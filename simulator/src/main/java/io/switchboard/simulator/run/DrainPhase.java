package io.switchboard.simulator.run;

import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * The drain after sending stops: once a second it names every offline device a message still waits on (the run brings
 * it online), and it ends when the oracle has everything, checked at most every 10 ms since that walks every message,
 * or at its limit. Client event loop only.
 */
final class DrainPhase {
    private static final long SETTLED_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long WAITING_SCAN_NS = TimeUnit.SECONDS.toNanos(1);

    private final Oracle oracle;
    /** Whether nothing besides the oracle's messages is still under way (media checks). */
    private final java.util.function.BooleanSupplier idle;

    private long endNs;
    private long deadlineNs;
    private long lastSettledCheckNs;
    private long lastWaitingScanNs;
    private boolean draining;
    private long drainNs;
    /** Whether the drain ended because everything arrived, not at its limit. */
    private boolean settled;

    DrainPhase(Oracle oracle, java.util.function.BooleanSupplier idle) {
        this.oracle = oracle;
        this.idle = idle;
    }

    /** Sending ends at {@code endNs}; the drain may last until {@code deadlineNs}. */
    void set(long endNs, long deadlineNs) {
        this.endNs = endNs;
        this.deadlineNs = deadlineNs;
    }

    /** Whether sending has stopped and the drain has begun. */
    boolean draining() {
        return draining;
    }

    /**
     * A tick of the drain at {@code now}: true once it is over. {@code recipient} hears each device a message waits on,
     * {@code sender} each sending device an ack or a receipt waits on.
     */
    boolean over(long now, IntConsumer recipient, IntConsumer sender) {
        if (!draining || now - lastWaitingScanNs > WAITING_SCAN_NS) {
            draining = true;
            lastWaitingScanNs = now;
            oracle.forEachWaitingDevice(recipient, sender);
        }
        boolean limit = now > deadlineNs;
        if (limit || (now - lastSettledCheckNs > SETTLED_CHECK_NS && settledAt(now))) {
            settled = !limit || oracle.settled();
            drainNs = now - endNs;
            return true;
        }
        return false;
    }

    private boolean settledAt(long now) {
        lastSettledCheckNs = now;
        return oracle.settled() && idle.getAsBoolean();
    }

    boolean settled() {
        return settled;
    }

    double seconds() {
        return drainNs / 1e9;
    }
}
