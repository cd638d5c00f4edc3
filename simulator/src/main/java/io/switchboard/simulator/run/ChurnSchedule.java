package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario.Churn;
import java.util.function.IntPredicate;

/**
 * When each device next goes online or offline: a {@link DeadlineQueue} of (deadline, device slot), 8 bytes per
 * device, and the draws that make the deadlines. Devices churn independently, each as a user with one device would.
 * Every draw is a function of the seed, the slot and the deadline it follows, never of timing or of other devices, so
 * the same seed gives the same schedule however fast the run goes (and with one device per user, since a slot is then
 * the user index, the schedule users had before they had several devices). Whether an event is a login or a logout is
 * the device's state when it comes due.
 *
 * <p>Session lengths and offline gaps are exponential ({@link Churn}); a device is online at the start with
 * probability {@code online}, which with memoryless lengths makes the online share stationary from the first second.
 */
final class ChurnSchedule {
    /** Bits of a packed entry that hold the slot; every slot {@link DeviceSlots} numbers fits. */
    static final int SLOT_BITS = DeviceSlots.SLOT_BITS;
    /** The latest deadline the queue holds beside a slot: about 34 years in ms, far past any run. */
    private static final long NEVER_MS = (1L << (63 - SLOT_BITS)) - 1;

    private final long seed;
    private final Churn churn;
    private final double meanSessionMs;
    private final double meanOfflineMs;
    private final int initiallyOnline;
    private final DeadlineQueue queue;

    ChurnSchedule(long seed, int devices, Churn churn) {
        this(seed, devices, churn, device -> false);
    }

    /**
     * @param background devices that connect at the start and are never scheduled again (phones in the background,
     *     which {@link PushWakes} takes offline and back)
     */
    ChurnSchedule(long seed, int devices, Churn churn, IntPredicate background) {
        if (devices > 1 << SLOT_BITS) {
            throw new IllegalArgumentException("at most " + (1 << SLOT_BITS) + " devices");
        }
        this.seed = seed;
        this.churn = churn;
        this.meanSessionMs = churn.sessionLength().toMillis();
        this.meanOfflineMs = churn.meanOfflineNs() / 1e6;
        this.queue = new DeadlineQueue(SLOT_BITS, devices);
        int online = 0;
        for (int slot = 0; slot < devices; slot++) {
            boolean startsOnline = !churn.churns() || background.test(slot) || draw(slot, -1) < churn.online();
            add(startsOnline ? 0 : afterGap(slot, 0), slot);
            online += startsOnline ? 1 : 0;
        }
        this.initiallyOnline = online;
    }

    /** Devices whose first login is at 0: the online population the workload starts with. */
    int initiallyOnline() {
        return initiallyOnline;
    }

    /** When a session that starts at {@code startMs} ends: at least a millisecond later. */
    long afterSession(int slot, long startMs) {
        return startMs + 1 + (long) Mix.exponential(draw(slot, startMs), meanSessionMs);
    }

    /** When a device that goes offline at {@code offMs} comes back. */
    long afterGap(int slot, long offMs) {
        return offMs + 1 + (long) Mix.exponential(draw(slot, offMs), meanOfflineMs);
    }

    /** Whether sessions end at all ({@code online < 1}). */
    boolean churns() {
        return churn.churns();
    }

    private double draw(int slot, long atMs) {
        return Mix.unitInterval(seed ^ Mix.mix(((long) slot << 40) ^ atMs));
    }

    /** Adds an event; one past {@link #NEVER_MS} (an offline gap of decades) waits there, since it must fit. */
    void add(long deadlineMs, int slot) {
        queue.add(Math.min(deadlineMs, NEVER_MS), slot);
    }

    /** True when the earliest event is due by {@code nowMs}. */
    boolean due(long nowMs) {
        return queue.due(nowMs);
    }

    /** The earliest event's deadline; only when {@link #size()} > 0. */
    long nextDeadlineMs() {
        return queue.nextDeadline();
    }

    /** Removes the earliest event and returns its slot. */
    int poll() {
        return (int) queue.poll();
    }

    int size() {
        return queue.size();
    }
}
