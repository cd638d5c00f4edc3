package io.switchboard.simulator.run;

import io.switchboard.simulator.scenario.Scenario.Churn;
import io.switchboard.simulator.scenario.ScenarioLoader;
import java.util.Arrays;

/**
 * When each user next goes online or offline: a priority queue of (deadline, user) packed into one {@code long} each
 * (8 bytes per user, no object per entry), and the draws that make the deadlines. Every draw is a function of the
 * seed, the user and the deadline it follows, never of timing or of other users, so the same seed gives the same
 * schedule however fast the run goes. Whether an event is a login or a logout is the user's state when it comes due.
 *
 * <p>Session lengths and offline gaps are exponential ({@link Churn}); a user is online at the start with probability
 * {@code online}, which with memoryless lengths makes the online share stationary from the first second.
 */
final class ChurnSchedule {
    /** Bits of a packed entry that hold the user index; {@link ScenarioLoader#MAX_USERS} fits. */
    static final int USER_BITS = 20;

    private static final long USER_MASK = (1L << USER_BITS) - 1;

    private final long seed;
    private final Churn churn;
    private final double meanSessionMs;
    private final double meanOfflineMs;
    private final int initiallyOnline;
    private long[] heap;
    private int size;

    ChurnSchedule(long seed, int users, Churn churn) {
        if (users > USER_MASK + 1) {
            throw new IllegalArgumentException("at most " + (USER_MASK + 1) + " users");
        }
        this.seed = seed;
        this.churn = churn;
        this.meanSessionMs = churn.sessionLength().toMillis();
        this.meanOfflineMs = churn.meanOfflineNs() / 1e6;
        this.heap = new long[Math.max(16, users)];
        int online = 0;
        for (int user = 0; user < users; user++) {
            boolean startsOnline = !churn.churns() || draw(user, -1) < churn.online();
            add(startsOnline ? 0 : afterGap(user, 0), user);
            online += startsOnline ? 1 : 0;
        }
        this.initiallyOnline = online;
    }

    /** Users whose first login is at 0: the online population the workload starts with. */
    int initiallyOnline() {
        return initiallyOnline;
    }

    /** When a session that starts at {@code startMs} ends: at least a millisecond later. */
    long afterSession(int user, long startMs) {
        return startMs + 1 + (long) (-Math.log(1 - draw(user, startMs)) * meanSessionMs);
    }

    /** When a user who goes offline at {@code offMs} comes back. */
    long afterGap(int user, long offMs) {
        return offMs + 1 + (long) (-Math.log(1 - draw(user, offMs)) * meanOfflineMs);
    }

    /** Whether sessions end at all ({@code online < 1}). */
    boolean churns() {
        return churn.churns();
    }

    private double draw(int user, long atMs) {
        return Mix.unitInterval(seed ^ Mix.mix(((long) user << 40) ^ atMs));
    }

    void add(long deadlineMs, int user) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        long entry = (deadlineMs << USER_BITS) | user;
        int at = size++;
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (heap[parent] <= entry) {
                break;
            }
            heap[at] = heap[parent];
            at = parent;
        }
        heap[at] = entry;
    }

    /** True when the earliest event is due by {@code nowMs}. */
    boolean due(long nowMs) {
        return size > 0 && (heap[0] >>> USER_BITS) <= nowMs;
    }

    /** The earliest event's deadline; only when {@link #size()} > 0. */
    long nextDeadlineMs() {
        return heap[0] >>> USER_BITS;
    }

    /** Removes the earliest event and returns its user. */
    int poll() {
        int user = (int) (heap[0] & USER_MASK);
        long last = heap[--size];
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= last) {
                break;
            }
            heap[at] = heap[child];
            at = child;
        }
        if (size > 0) {
            heap[at] = last;
        }
        return user;
    }

    int size() {
        return size;
    }
}
