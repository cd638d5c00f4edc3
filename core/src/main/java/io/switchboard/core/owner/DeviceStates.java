package io.switchboard.core.owner;

import io.switchboard.core.protocol.Frame;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The devices of the users one owner holds, each made on first use with its queue from the message store. Owner
 * thread only.
 */
final class DeviceStates {
    private final MessageStore store;
    private final Long2ObjectHashMap<DeviceState[]> users = new Long2ObjectHashMap<>();

    DeviceStates(MessageStore store) {
        this.store = store;
    }

    DeviceState device(long user, int device) {
        DeviceState[] devices = users.get(user);
        if (devices == null || devices.length <= device) {
            DeviceState[] grown = new DeviceState[device + 1];
            if (devices != null) {
                System.arraycopy(devices, 0, grown, 0, devices.length);
            }
            devices = grown;
            users.put(user, devices);
        }
        DeviceState state = devices[device];
        if (state == null) {
            state = new DeviceState(device, store.queue(user, device));
            devices[device] = state;
        }
        return state;
    }

    /** The device's state, or null when this owner has made none for it. */
    DeviceState find(long user, int device) {
        DeviceState[] devices = users.get(user);
        return devices == null || devices.length <= device ? null : devices[device];
    }

    /** Whether any device of the user has a session. */
    boolean online(long user) {
        DeviceState[] devices = users.get(user);
        if (devices != null) {
            for (DeviceState device : devices) {
                if (device != null && device.online()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Writes the connections of the user's devices that have a session into {@code into}; returns how many. */
    int sessions(long user, long[] into) {
        DeviceState[] devices = users.get(user);
        int count = 0;
        if (devices != null) {
            for (DeviceState device : devices) {
                if (device != null && device.online()) {
                    into[count++] = device.connection;
                }
            }
        }
        return count;
    }

    /** Writes {@code frame} to every device of the user that has a session. */
    void toOnlineDevices(long user, Frame frame, Outbound out) {
        DeviceState[] devices = users.get(user);
        if (devices != null) {
            for (DeviceState device : devices) {
                if (device != null && device.online()) {
                    out.frame(device.connection, frame);
                }
            }
        }
    }

    /** Visits the devices made so far of one user. */
    void forEachOf(long user, DeviceVisitor visitor) {
        DeviceState[] devices = users.get(user);
        for (int device = 0; devices != null && device < devices.length; device++) {
            if (devices[device] != null) {
                visitor.visit(user, device, devices[device]);
            }
        }
    }

    /** Visits every device made so far. */
    void forEach(DeviceVisitor visitor) {
        users.forEachLong((user, devices) -> {
            for (int device = 0; device < devices.length; device++) {
                if (devices[device] != null) {
                    visitor.visit(user, device, devices[device]);
                }
            }
        });
    }

    @FunctionalInterface
    interface DeviceVisitor {
        void visit(long user, int device, DeviceState state);
    }
}
