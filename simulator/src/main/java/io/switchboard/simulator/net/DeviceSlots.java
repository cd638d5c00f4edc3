package io.switchboard.simulator.net;

/**
 * Numbers every virtual device densely: device {@code d} (1..devicesPerUser) of user index {@code u} (user id − 1) is
 * slot {@code u × devicesPerUser + d − 1}, so that per-device state is a few arrays indexed by slot and a user's
 * devices are adjacent. With one device per user a slot is the user index. Immutable.
 */
public final class DeviceSlots {
    /** Bits a slot needs at most: the scenario loader's 1,000,000 users × 8 devices is below 2^23. */
    public static final int SLOT_BITS = 23;

    private final int devicesPerUser;

    public DeviceSlots(int devicesPerUser) {
        this.devicesPerUser = devicesPerUser;
    }

    public int devicesPerUser() {
        return devicesPerUser;
    }

    /** How many slots {@code users} users fill. */
    public int count(int users) {
        return users * devicesPerUser;
    }

    public int slot(int user, int device) {
        return user * devicesPerUser + device - 1;
    }

    /** The user index (0-based) of a slot. */
    public int user(int slot) {
        return slot / devicesPerUser;
    }

    /** The device id (from 1) of a slot. */
    public int device(int slot) {
        return slot % devicesPerUser + 1;
    }
}
