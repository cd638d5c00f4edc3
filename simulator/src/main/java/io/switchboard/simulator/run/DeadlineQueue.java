package io.switchboard.simulator.run;

import java.util.Arrays;

/**
 * A min-priority queue of (deadline, payload) packed into one {@code long} each: the deadline in the high bits, a
 * payload of {@code payloadBits} (a user, a message index) in the low ones. A binary heap over a {@code long[]}: 8 bytes
 * an entry, no object per entry, nothing allocated except when it grows. Entries with equal deadlines come out in
 * payload order, so the order is a function of the contents alone. Single-threaded.
 */
final class DeadlineQueue {
    private final int payloadBits;
    private final long payloadMask;
    private long[] heap;
    private int size;

    DeadlineQueue(int payloadBits, int initialCapacity) {
        this.payloadBits = payloadBits;
        this.payloadMask = (1L << payloadBits) - 1;
        this.heap = new long[Math.max(16, initialCapacity)];
    }

    /** Adds an entry; {@code deadline} must be non-negative and below 2^(63 − payloadBits). */
    void add(long deadline, long payload) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        long entry = (deadline << payloadBits) | payload;
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

    /** True when the earliest entry is due by {@code now}. */
    boolean due(long now) {
        return size > 0 && (heap[0] >>> payloadBits) <= now;
    }

    /** The earliest entry's deadline; only when {@link #size()} > 0. */
    long nextDeadline() {
        return heap[0] >>> payloadBits;
    }

    /** Removes the earliest entry and returns its payload. */
    long poll() {
        long payload = heap[0] & payloadMask;
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
        return payload;
    }

    int size() {
        return size;
    }
}
