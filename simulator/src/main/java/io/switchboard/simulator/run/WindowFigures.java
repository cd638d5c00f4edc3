package io.switchboard.simulator.run;

import io.switchboard.simulator.scenario.Scenario;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What a run counts in its measured window: messages whose intended send time falls in it (sent, to offline users,
 * delivered by the end of the drain), deliveries made while it is open, and send→deliver, send→ack and send→receipt
 * latency of its messages, in µs from each message's intended send time (no coordinated omission). Client event loop
 * only.
 */
final class WindowFigures {
    static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(120);

    final Histogram send2deliver = new Histogram(MAX_MICROS, 3);
    final Histogram send2ack = new Histogram(MAX_MICROS, 3);
    final Histogram send2receipt = new Histogram(MAX_MICROS, 3);
    /**
     * How late the clients wrote the window's arrivals, from their intended times: the load generator's own delay (a
     * busy client loop, a device held by {@link io.switchboard.simulator.net.DeviceConnections#pushedBack}), which the
     * latencies above include.
     */
    final Histogram sendLag = new Histogram(MAX_MICROS, 3);
    /** Messages whose intended send time fell in the window. */
    long sent;
    /** Of those, messages sent to a recipient that was offline (queued until its login; not in send2deliver). */
    long sentToOffline;
    /** Of those, messages the server acknowledged: sent less those refused (or never answered). */
    long acked;
    /** Deliveries of the window's messages by the end of the drain. */
    long delivered;
    /** Deliveries made while the window was open, whatever their send time: the delivery rate. */
    long deliveriesInWindow;
    /** Intended send times by message index, for the messages the run expected (the rest are not timed). */
    private final long[] intendedNs;
    /** The send→deliver latency a {@code slowReaders} fault compares. */
    final SlowReaders slowReaders;

    private long startNs;
    private long endNs;

    /** For the messages a scenario's warm-up and window offer ({@link TableSizes#offered}). */
    static WindowFigures of(Scenario scenario) {
        return new WindowFigures(TableSizes.offered(scenario), SlowReaders.of(scenario));
    }

    /** @param expectedMessages messages the run expects to send, warm-up included */
    private WindowFigures(long expectedMessages, SlowReaders slowReaders) {
        intendedNs = new long[(int) Math.min(expectedMessages, Integer.MAX_VALUE - 8)];
        this.slowReaders = slowReaders;
    }

    /** The window: from {@code startNs} (the warm-up's end) to {@code endNs}, before the drain. */
    void set(long startNs, long endNs) {
        this.startNs = startNs;
        this.endNs = endNs;
    }

    boolean contains(long ns) {
        return ns >= startNs && ns < endNs;
    }

    /** Message {@code index} is written, due at {@code intendedNs}. */
    void sent(int index, long intendedNs, boolean toOffline) {
        if (index < this.intendedNs.length) {
            this.intendedNs[index] = intendedNs;
        }
        if (contains(intendedNs)) {
            sent++;
            sentToOffline += toOffline ? 1 : 0;
        }
    }

    /** An arrival due at {@code intendedNs} is written at {@code nowNs}. */
    void written(long intendedNs, long nowNs) {
        record(sendLag, intendedNs, nowNs);
    }

    void acked(int index, long nowNs) {
        long intended = intendedOf(index);
        acked += contains(intended) ? 1 : 0;
        record(send2ack, intended, nowNs);
    }

    /** The {@code delivered} receipt of message {@code index} came; timed only when the oracle found it right. */
    void deliveredReceipt(int index, boolean right, long nowNs) {
        if (right) {
            record(send2receipt, intendedOf(index), nowNs);
        }
    }

    /** A new delivery of a message due at {@code intendedNs}; {@code timed} when its session was open at the send. */
    void delivered(long intendedNs, long nowNs, boolean timed) {
        delivered += contains(intendedNs) ? 1 : 0;
        deliveriesInWindow += contains(nowNs) ? 1 : 0;
        if (timed) {
            record(send2deliver, intendedNs, nowNs);
        }
    }

    /** µs from the intended send time to now, capped at {@link #MAX_MICROS}. */
    static long micros(long intendedNs, long nowNs) {
        return Math.min(MAX_MICROS, (nowNs - intendedNs) / 1000);
    }

    /** Message {@code index}'s intended send time. */
    long intendedOf(int index) {
        return index < intendedNs.length ? intendedNs[index] : 0;
    }

    private void record(Histogram histogram, long intendedNs, long nowNs) {
        if (contains(intendedNs)) {
            histogram.recordValue(micros(intendedNs, nowNs));
        }
    }
}
