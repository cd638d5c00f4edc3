package io.switchboard.core.keys;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Consumer;

/**
 * One device's keys: registration id, signed pre-key, last-resort Kyber pre-key, and its one-time pre-keys of each
 * kind in the order they were uploaded (handed out oldest first), by id. Guarded by its user's {@link UserKeys}.
 */
final class DeviceKeys {
    private final int device;
    private int registrationId;
    private PreKey signedPreKey;
    private PreKey lastResortKyberPreKey;
    private final LinkedHashMap<Integer, PreKey> preKeys = new LinkedHashMap<>();
    private final LinkedHashMap<Integer, PreKey> kyberPreKeys = new LinkedHashMap<>();

    DeviceKeys(int device) {
        this.device = device;
    }

    int device() {
        return device;
    }

    int registrationId() {
        return registrationId;
    }

    PreKey signedPreKey() {
        return signedPreKey;
    }

    PreKey lastResortKyberPreKey() {
        return lastResortKyberPreKey;
    }

    /** Whether a bundle can be made of it: a session needs a signed pre-key and a Kyber pre-key at the least. */
    boolean complete() {
        return signedPreKey != null && lastResortKyberPreKey != null;
    }

    KeyCounts counts() {
        return new KeyCounts(preKeys.size(), kyberPreKeys.size());
    }

    /** The one-time EC pre-key to hand out next, or null when none is left. */
    PreKey nextPreKey() {
        return first(preKeys);
    }

    /** The one-time Kyber pre-key to hand out next, or null when none is left. */
    PreKey nextKyberPreKey() {
        return first(kyberPreKeys);
    }

    private static PreKey first(LinkedHashMap<Integer, PreKey> keys) {
        Iterator<PreKey> oldest = keys.values().iterator();
        return oldest.hasNext() ? oldest.next() : null;
    }

    /** One-time EC pre-keys the device would hold after {@code uploaded}: a key of an id it holds replaces that one. */
    int preKeysAfter(Iterable<PreKey> uploaded) {
        return after(preKeys, uploaded);
    }

    int kyberPreKeysAfter(Iterable<PreKey> uploaded) {
        return after(kyberPreKeys, uploaded);
    }

    private static int after(LinkedHashMap<Integer, PreKey> stored, Iterable<PreKey> uploaded) {
        HashSet<Integer> added = new HashSet<>();
        for (PreKey key : uploaded) {
            if (!stored.containsKey(key.id())) {
                added.add(key.id());
            }
        }
        return stored.size() + added.size();
    }

    /** Applies an entry about this device (not IDENTITY, not DROP); false when it names a key the device lacks. */
    boolean apply(KeyEntry entry) {
        switch (entry.kind()) {
            case REGISTRATION -> registrationId = entry.id();
            case SIGNED -> signedPreKey = entry.preKey();
            case LAST_RESORT -> lastResortKyberPreKey = entry.preKey();
            case PRE -> preKeys.put(entry.id(), entry.preKey());
            case KYBER -> kyberPreKeys.put(entry.id(), entry.preKey());
            case TAKEN_PRE -> {
                return preKeys.remove(entry.id()) != null;
            }
            case TAKEN_KYBER -> {
                return kyberPreKeys.remove(entry.id()) != null;
            }
            case IDENTITY, DROP -> throw new IllegalArgumentException(entry.kind() + " is not about one device");
        }
        return true;
    }

    /** Every entry that says what this device holds now, for a compacted log. */
    void entries(long user, Consumer<KeyEntry> out) {
        if (registrationId != 0) {
            out.accept(KeyEntry.registration(user, device, registrationId));
        }
        if (signedPreKey != null) {
            out.accept(KeyEntry.key(KeyEntry.Kind.SIGNED, user, device, signedPreKey));
        }
        if (lastResortKyberPreKey != null) {
            out.accept(KeyEntry.key(KeyEntry.Kind.LAST_RESORT, user, device, lastResortKyberPreKey));
        }
        preKeys.values().forEach(key -> out.accept(KeyEntry.key(KeyEntry.Kind.PRE, user, device, key)));
        kyberPreKeys.values().forEach(key -> out.accept(KeyEntry.key(KeyEntry.Kind.KYBER, user, device, key)));
    }

    /** Lines {@link #entries} writes. */
    int entryCount() {
        return (registrationId != 0 ? 1 : 0)
                + (signedPreKey != null ? 1 : 0)
                + (lastResortKyberPreKey != null ? 1 : 0)
                + preKeys.size()
                + kyberPreKeys.size();
    }
}
