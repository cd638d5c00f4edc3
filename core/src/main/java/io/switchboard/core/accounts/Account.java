package io.switchboard.core.accounts;

import io.switchboard.core.limits.UserLimits;
import io.switchboard.core.push.PushRegistration;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One user's devices: which one is the primary (the account's first device, never removed) and each device's entry
 * ({@link AccountDevice}); and who may add the user to a group, with the contact list that {@link
 * GroupAddPrivacy#CONTACTS} consults. Changed only under its {@link AccountDirectory} stripe's write lock and read
 * under its read lock; {@link #deviceMask()} and {@link #pushMask()} are volatile, for readers that hold no lock.
 */
final class Account {
    private static final AccountDevice[] NONE = new AccountDevice[0];
    private static final long[] NO_CONTACTS = new long[0];

    private final long user;
    /** The primary device, 0 while the account has none (it exists only inside one update). */
    private int primary;
    /** At most {@code MAX_DEVICES_PER_ACCOUNT} when linked; a log written before linking may hold more. */
    private AccountDevice[] devices = NONE;

    private volatile long deviceMask;
    /** Made at the user's first session (readers hold only the read lock, so it is set by a compare-and-set). */
    private volatile UserLimits limits;

    private static final VarHandle LIMITS;

    static {
        try {
            LIMITS = MethodHandles.lookup().findVarHandle(Account.class, "limits", UserLimits.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private GroupAddPrivacy groupAdd = GroupAddPrivacy.EVERYONE;
    /** Sorted and distinct; replaced whole, never changed in place, so a reader may keep it. */
    private long[] contacts = NO_CONTACTS;
    /** Bit d set: device d has a push registration. */
    private volatile long pushMask;

    Account(long user) {
        this.user = user;
    }

    long user() {
        return user;
    }

    int primary() {
        return primary;
    }

    long deviceMask() {
        return deviceMask;
    }

    /** The rate budget the user's connections share, made with full buckets at {@code nowNs} the first time. */
    UserLimits limits(long nowNs) {
        UserLimits existing = limits;
        if (existing != null) {
            return existing;
        }
        UserLimits made = new UserLimits(nowNs);
        UserLimits raced = (UserLimits) LIMITS.compareAndExchange(this, null, made);
        return raced == null ? made : raced;
    }

    long pushMask() {
        return pushMask;
    }

    /** Sets or (null) clears the push registration of a device the account has. */
    void push(AccountDevice entry, PushRegistration push) {
        entry.push(push);
        pushMask = push == null ? pushMask & ~(1L << entry.device()) : pushMask | (1L << entry.device());
    }

    int deviceCount() {
        return devices.length;
    }

    boolean hasDevice(int device) {
        return (deviceMask & (1L << device)) != 0;
    }

    /** The device's entry, or null when the account has no such device. */
    AccountDevice device(int device) {
        for (AccountDevice entry : devices) {
            if (entry.device() == device) {
                return entry;
            }
        }
        return null;
    }

    /** The entries in the order the devices were added; the caller must not change the array. */
    AccountDevice[] devices() {
        return devices;
    }

    /** Adds a device that the account does not have; the first one becomes the primary. */
    void add(AccountDevice entry) {
        AccountDevice[] grown = new AccountDevice[devices.length + 1];
        System.arraycopy(devices, 0, grown, 0, devices.length);
        grown[devices.length] = entry;
        devices = grown;
        if (primary == 0) {
            primary = entry.device();
        }
        deviceMask |= 1L << entry.device();
    }

    /** Removes a device the account has, never its primary. */
    void remove(int device) {
        AccountDevice[] shrunk = new AccountDevice[devices.length - 1];
        int kept = 0;
        for (AccountDevice entry : devices) {
            if (entry.device() != device) {
                shrunk[kept++] = entry;
            }
        }
        devices = shrunk;
        deviceMask &= ~(1L << device);
        pushMask &= ~(1L << device);
    }

    boolean tokenMatches(int device, byte[] presentedHash) {
        AccountDevice entry = device(device);
        return entry != null && MessageDigest.isEqual(entry.tokenHash(), presentedHash);
    }

    GroupAddPrivacy groupAdd() {
        return groupAdd;
    }

    void groupAdd(GroupAddPrivacy setting) {
        groupAdd = setting;
    }

    long[] contacts() {
        return contacts;
    }

    /** {@code sorted} sorted and distinct; the account keeps the array. */
    void contacts(long[] sorted) {
        contacts = sorted;
    }

    /** Whether {@code adder} may add this user to a group under the user's setting. */
    boolean acceptsAddFrom(long adder) {
        return switch (groupAdd) {
            case EVERYONE -> true;
            case CONTACTS -> Arrays.binarySearch(contacts, adder) >= 0;
            case NOBODY -> false;
        };
    }
}
