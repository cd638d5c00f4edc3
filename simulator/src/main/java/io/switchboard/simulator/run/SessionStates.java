package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;

/**
 * Where each device's session stands, as the run drives it: offline, connecting (its handshake under way), online,
 * leaving (its session is over, the close waits for its sends' answers), closing (the close is sent). And what the run
 * asks of a user's devices: one online, one that can still write. One byte a device. Client event loop only.
 */
final class SessionStates {
    static final byte OFFLINE = 0;
    static final byte CONNECTING = 1;
    static final byte ONLINE = 2;
    /** The session is over but sends are unacknowledged: the close waits for them. */
    static final byte LEAVING = 3;
    /** The close is sent; the connection has not closed yet. */
    static final byte CLOSING = 4;

    private final DeviceSlots slots;
    private final byte[] states;

    SessionStates(DeviceSlots slots, int devices) {
        this.slots = slots;
        this.states = new byte[devices];
    }

    byte of(int device) {
        return states[device];
    }

    boolean is(int device, byte state) {
        return states[device] == state;
    }

    void set(int device, byte state) {
        states[device] = state;
    }

    /** The user's first device (by number) that is online, or -1. */
    int firstOnline(int user) {
        for (int d = 1; d <= slots.devicesPerUser(); d++) {
            int device = slots.slot(user, d);
            if (states[device] == ONLINE) {
                return device;
            }
        }
        return -1;
    }

    /** Whether any device of the user is online. */
    boolean anyOnline(int user) {
        return firstOnline(user) >= 0;
    }

    /** The user's first device (by number) that can write now: online, or leaving with sends unanswered; else -1. */
    int firstWritable(int user) {
        for (int d = 1; d <= slots.devicesPerUser(); d++) {
            int device = slots.slot(user, d);
            if (states[device] == ONLINE || states[device] == LEAVING) {
                return device;
            }
        }
        return -1;
    }
}
