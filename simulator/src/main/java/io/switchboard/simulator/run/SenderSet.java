package io.switchboard.simulator.run;

import java.util.Arrays;

/**
 * The devices that may send now (welcomed, not leaving), packed so that a uniform draw among them is one array read;
 * a device's place is kept so that leaving is O(1). Two ints per device. Client event loop only.
 */
final class SenderSet {
    private final int[] senders;
    /** Each device's place in {@link #senders}, or -1. */
    private final int[] place;

    private int size;

    SenderSet(int devices) {
        senders = new int[devices];
        place = new int[devices];
        Arrays.fill(place, -1);
    }

    void add(int device) {
        place[device] = size;
        senders[size++] = device;
    }

    void remove(int device) {
        int at = place[device];
        if (at >= 0) {
            int last = senders[--size];
            senders[at] = last;
            place[last] = at;
            place[device] = -1;
        }
    }

    boolean contains(int device) {
        return place[device] >= 0;
    }

    /** The {@code draw}th sender, {@code draw} below {@link #size()}. */
    int get(int draw) {
        return senders[draw];
    }

    int size() {
        return size;
    }
}
