package io.switchboard.simulator.net;

/**
 * Numbers every virtual device densely: device {@code d} (1..devicesPerUser) of user index {@code u} (user id − 1) is
 * slot {@code u × devicesPerUser + d − 1}, so that per-device state is a few arrays indexed by slot and a user's
 * devices are adjacent. With one device per user a slot is the user index. User ids are the indexes plus one, and
 * plus a base for a share of the users ({@link #userId}). Immutable.
 */
public final class DeviceSlots {
    /** Bits a slot needs at most: the scenario loader's 1,000,000 users × 8 devices is below 2^23. */
    public static final int SLOT_BITS = 23;

    private final int devicesPerUser;
    /**
     * The user id of index 0, less one: 0 when the slots number users 1..N; a worker of {@code run --workers} numbers
     * its share, users {@code userBase + 1..userBase + N}, from index 0 all the same.
     */
    private final long userBase;

    public DeviceSlots(int devicesPerUser) {
        this(devicesPerUser, 0);
    }

    public DeviceSlots(int devicesPerUser, long userBase) {
        this.devicesPerUser = devicesPerUser;
        this.userBase = userBase;
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

    /** The user id (on the wire) of user index {@code index}. */
    public long userId(int index) {
        return userBase + index + 1;
    }

    /** The user index of user id {@code userId}: negative, or past this population's users, when it is not one. */
    public long indexOf(long userId) {
        return userId - userBase - 1;
    }

    /** The device id (from 1) of a slot. */
    public int device(int slot) {
        return slot % devicesPerUser + 1;
    }
}
