package io.switchboard.core.keys;

import java.util.Arrays;
import java.util.Collection;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One user's keys: the account's identity key and each device's keys, in device order. Its monitor guards it: the
 * store changes and reads a user's keys only while holding it, so two fetches of one user take turns and never get
 * the same one-time key.
 */
final class UserKeys {
    private final long user;
    private byte[] identityKey;
    private final TreeMap<Integer, DeviceKeys> devices = new TreeMap<>();

    UserKeys(long user) {
        this.user = user;
    }

    long user() {
        return user;
    }

    /** The account's identity key, or null before the first upload. */
    byte[] identityKey() {
        return identityKey;
    }

    boolean sameIdentity(byte[] key) {
        return Arrays.equals(identityKey, key);
    }

    Collection<DeviceKeys> devices() {
        return devices.values();
    }

    DeviceKeys device(int device) {
        return devices.get(device);
    }

    /** Applies an entry of this user; false when it contradicts what came before (a key the device lacks). */
    boolean apply(KeyEntry entry) {
        return switch (entry.kind()) {
            case IDENTITY -> {
                identityKey = entry.key();
                yield true;
            }
            case DROP -> devices.remove(entry.device()) != null;
            default -> devices.computeIfAbsent(entry.device(), DeviceKeys::new).apply(entry);
        };
    }

    /** Every entry that says what this user holds now, for a compacted log. */
    void entries(Consumer<KeyEntry> out) {
        if (identityKey != null) {
            out.accept(KeyEntry.identity(user, identityKey));
        }
        devices.values().forEach(device -> device.entries(user, out));
    }

    /** Lines {@link #entries} writes. */
    int entryCount() {
        return (identityKey != null ? 1 : 0)
                + devices.values().stream().mapToInt(DeviceKeys::entryCount).sum();
    }
}
