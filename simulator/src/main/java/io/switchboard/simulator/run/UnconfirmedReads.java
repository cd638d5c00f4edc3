package io.switchboard.simulator.run;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The reads each device wrote that the server may not have had: a {@code read} gets no answer (protocol.md), so one
 * written on a connection that a network fault then drops can be lost with it, and its read receipt never comes. A
 * device follows the reads it writes with a {@code ping}, one in flight at a time: the server answers frames of a
 * connection in order, so its {@code pong} says it took every read written before that ping. The reads not confirmed
 * when the connection closes are written again on the device's next session; the server ignores a read of a message
 * already read (no second receipt), so writing one again costs nothing but the frame. Only in runs with faults
 * ({@link Outages}), where connections drop. Per device the reads written since its last confirmation, as message
 * indexes in write order. Client event loop only.
 */
final class UnconfirmedReads {
    /** Per device: its reads not confirmed yet, in write order, the first {@link #counts} of it; null before any. */
    private final int[][] reads;

    private final int[] counts;
    /** Per device: how many of its first reads the {@code pong} of its ping in flight confirms; 0 when none is. */
    private final int[] pinged;

    UnconfirmedReads(int devices) {
        reads = new int[devices][];
        counts = new int[devices];
        pinged = new int[devices];
    }

    /** {@code device} wrote a read of message {@code index}: returns whether it must write a ping after it now. */
    boolean written(int device, int index) {
        int[] list = reads[device];
        if (list == null) {
            list = new int[4];
            reads[device] = list;
        } else if (counts[device] == list.length) {
            list = Arrays.copyOf(list, list.length * 2);
            reads[device] = list;
        }
        list[counts[device]++] = index;
        return pinged[device] == 0 && ping(device);
    }

    /**
     * A {@code pong} reached {@code device}: the reads written before its ping are confirmed. Returns whether it must
     * write another ping now, for the reads written since.
     */
    boolean pong(int device) {
        int confirmed = pinged[device];
        pinged[device] = 0;
        if (confirmed == 0) {
            return false;
        }
        int left = counts[device] - confirmed;
        System.arraycopy(reads[device], confirmed, reads[device], 0, left);
        counts[device] = left;
        return left > 0 && ping(device);
    }

    /** {@code device}'s connection closed: its ping's {@code pong} will not come, and its reads wait for the next one. */
    void closed(int device) {
        pinged[device] = 0;
    }

    /**
     * Writes again, through {@code read}, the reads {@code device} wrote and the server did not confirm, on its new
     * session (they stay listed until confirmed): returns whether it must write a ping after them.
     */
    boolean writeAgain(int device, IntConsumer read) {
        for (int i = 0; i < counts[device]; i++) {
            read.accept(reads[device][i]);
        }
        return counts[device] > 0 && ping(device);
    }

    private boolean ping(int device) {
        pinged[device] = counts[device];
        return true;
    }
}
