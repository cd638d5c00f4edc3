package io.switchboard.simulator.loopback;

import io.switchboard.core.protocol.Frame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What the receiving side of a loopback load records: each connection's last seq (a repeat is a duplicate at the
 * transport), deliveries, and the send→deliver latency of the messages sent in the measured window, from the intended
 * send time that each message carries in its first eight body bytes. Owned by the client I/O thread.
 */
final class Deliveries {
    static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(120);

    final Histogram sendToDeliver = new Histogram(MAX_MICROS, 3);
    private final long[] lastSeq;
    private long measureStartNs;
    private long endNs;
    long delivered;
    long duplicates;
    private long windowDelivered;
    private long lastWindowDeliveryNs;

    Deliveries(int connections) {
        lastSeq = new long[connections];
    }

    /** The measured window: messages intended to leave in it are timed. */
    void window(long measureStartNs, long endNs) {
        this.measureStartNs = measureStartNs;
        this.endNs = endNs;
    }

    boolean inWindow(long intendedNs) {
        return intendedNs >= measureStartNs && intendedNs < endNs;
    }

    /** Records latency as microseconds from the intended time, capped at the histogram's range. */
    static void record(Histogram histogram, long intendedNs, long nowNs) {
        histogram.recordValue(Math.min(MAX_MICROS, (nowNs - intendedNs) / 1000));
    }

    /** A {@code msg} on connection {@code slot}. */
    void onMsg(int slot, Frame frame, long now) {
        long seq = frame.seq();
        if (seq <= lastSeq[slot]) {
            duplicates++;
            return;
        }
        lastSeq[slot] = seq;
        delivered++;
        long intended = frame.bodies().getLong(frame.envelopeBodyOffset(0));
        if (inWindow(intended)) {
            record(sendToDeliver, intended, now);
            windowDelivered++;
            lastWindowDeliveryNs = now;
        }
    }

    /** Deliveries of window messages per second of the window (or until the last of them, if later). */
    double achievedPerSecond(Duration duration) {
        return windowDelivered / (Math.max(lastWindowDeliveryNs - measureStartNs, duration.toNanos()) / 1e9);
    }
}
