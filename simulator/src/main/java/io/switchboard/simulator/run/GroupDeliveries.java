package io.switchboard.simulator.run;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The oracle's record of group messages, by slot (one per group message, in send order): which member devices got
 * each one, as one bit per member position in a shared {@code long[]}, and how many members still owe a delivery and
 * a read. Memory is a bit per member per message plus 16 bytes per message; nothing per user. Single-threaded.
 */
final class GroupDeliveries {
    static final int DELIVERED = 1;
    static final int DUPLICATE = 0;
    static final int NOT_A_RECIPIENT = -1;

    private final GroupPlan plan;
    private int[] groups = new int[256];
    private int[] firstWord = new int[256];
    private int[] pendingDeliveries = new int[256];
    private int[] pendingReads = new int[256];
    private long[] bits = new long[1024];
    private int slots;
    private int words;

    GroupDeliveries(GroupPlan plan) {
        this.plan = plan;
    }

    /** Registers a message to {@code group}; every member but the sender owes a delivery and a read. */
    int add(int group) {
        if (slots == groups.length) {
            int capacity = slots * 2;
            groups = Arrays.copyOf(groups, capacity);
            firstWord = Arrays.copyOf(firstWord, capacity);
            pendingDeliveries = Arrays.copyOf(pendingDeliveries, capacity);
            pendingReads = Arrays.copyOf(pendingReads, capacity);
        }
        int size = plan.members(group).length;
        int need = (size + 63) >>> 6;
        if (words + need > bits.length) {
            bits = Arrays.copyOf(bits, Math.max(bits.length * 2, words + need));
        }
        int slot = slots++;
        groups[slot] = group;
        firstWord[slot] = words;
        pendingDeliveries[slot] = size - 1;
        pendingReads[slot] = size - 1;
        words += need;
        return slot;
    }

    int group(int slot) {
        return groups[slot];
    }

    /** {@link #DELIVERED} for a first delivery to a member, {@link #DUPLICATE}, or {@link #NOT_A_RECIPIENT}. */
    int deliver(int slot, int member, int sender) {
        int position = plan.position(groups[slot], member);
        if (position < 0 || member == sender) {
            return NOT_A_RECIPIENT;
        }
        int word = firstWord[slot] + (position >>> 6);
        long bit = 1L << position;
        if ((bits[word] & bit) != 0) {
            return DUPLICATE;
        }
        bits[word] |= bit;
        pendingDeliveries[slot]--;
        return DELIVERED;
    }

    /** Member deliveries still owed. */
    int pendingDeliveries(int slot) {
        return pendingDeliveries[slot];
    }

    /** A member sent {@code read}; true once every member has. */
    boolean read(int slot) {
        return --pendingReads[slot] == 0;
    }

    /** Every member, but the sender, that has not had the message yet. */
    void forEachUndelivered(int slot, int sender, IntConsumer member) {
        int[] members = plan.members(groups[slot]);
        int first = firstWord[slot];
        for (int position = 0; position < members.length; position++) {
            if (members[position] != sender && (bits[first + (position >>> 6)] & (1L << position)) == 0) {
                member.accept(members[position]);
            }
        }
    }
}
