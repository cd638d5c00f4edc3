package io.switchboard.core.owner;

import io.switchboard.core.message.GroupMessage;
import java.util.Arrays;

/**
 * The delivery list of one group message, kept by the owner of its sender: which members have every device's
 * {@code recv} in, and which have read it, as two bitsets over the message's member array. The owner marks the
 * sender's own user done at once (its other devices get the message, but receipts are about the other members).
 *
 * <p>Owner thread only.
 */
final class GroupDelivery {
    static final int DELIVERED = 1;
    static final int READ = 2;

    private final GroupMessage message;
    private final long[] delivered;
    private final long[] read;
    private int deliveredLeft;
    private int readLeft;

    GroupDelivery(GroupMessage message) {
        this.message = message;
        int members = message.members().length;
        this.delivered = new long[(members + 63) >>> 6];
        this.read = new long[delivered.length];
        this.deliveredLeft = members;
        this.readLeft = members;
    }

    GroupMessage message() {
        return message;
    }

    /** Every device of the member acknowledged; returns {@link #DELIVERED} when that completed the list, else 0. */
    int delivered(long member) {
        int index = Arrays.binarySearch(message.members(), member);
        return index >= 0 && markDelivered(index) ? DELIVERED : 0;
    }

    /** The member read it (so it was delivered too); returns the kinds this completed. */
    int read(long member) {
        int index = Arrays.binarySearch(message.members(), member);
        if (index < 0) {
            return 0;
        }
        int completed = markDelivered(index) ? DELIVERED : 0;
        if (set(read, index) && --readLeft == 0) {
            completed |= READ;
        }
        return completed;
    }

    /** The member left or was removed: it no longer holds either receipt back. */
    int gone(long member) {
        return read(member);
    }

    /** Whether members still hold back the {@code delivered} receipt. */
    boolean deliveredPending() {
        return deliveredLeft > 0;
    }

    /** Whether members still hold back the {@code read} receipt. */
    boolean readPending() {
        return readLeft > 0;
    }

    boolean complete() {
        return deliveredLeft == 0 && readLeft == 0;
    }

    private boolean markDelivered(int index) {
        return set(delivered, index) && --deliveredLeft == 0;
    }

    /** Sets the bit; true when it was clear. */
    private static boolean set(long[] bits, int index) {
        long mask = 1L << index;
        int word = index >>> 6;
        if ((bits[word] & mask) != 0) {
            return false;
        }
        bits[word] |= mask;
        return true;
    }
}
