package io.switchboard.core.keys;

import io.switchboard.core.config.KeysContext;
import io.switchboard.core.keys.KeyEntry.Kind;
import io.switchboard.core.keys.UploadResult.Status;
import io.switchboard.core.storage.LineLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key distribution center's keys (protocol.md, Keys), public keys only, kept in {@code keys.log} (a {@link
 * LineLog}) in the data directory so that a restart keeps them and never hands out a one-time key again.
 *
 * <p>Every change is written to the log under its user's lock and applied at once, and the log is forced after the
 * lock is released and before the change is answered: a one-time key is written as taken before anyone sees it, so a
 * crash after a hand-out was answered finds it taken at the restart, and a crash before finds it either taken (never
 * answered: lost, never given twice) or not. Fetches of one user take turns on its lock, so each one-time key goes to
 * one of them; forces are shared by every thread waiting for one (group commit).
 *
 * <p>Thread-safe.
 */
public final class KeyStore implements AutoCloseable {
    public static final String FILE_NAME = "keys.log";
    private static final Logger LOG = LoggerFactory.getLogger(KeyStore.class);
    /** The log is compacted at a start when it holds more than this many lines per key, plus the slack. */
    private static final int COMPACT_FACTOR = 2;

    private static final int COMPACT_SLACK_LINES = 1024;
    /** A device that has stored nothing, read only. */
    private static final DeviceKeys NONE = new DeviceKeys(0);

    private final ConcurrentHashMap<Long, UserKeys> users = new ConcurrentHashMap<>();
    private final LineLog<KeyEntry> log;
    private final KeysContext context;

    private KeyStore(LineLog<KeyEntry> log, KeysContext context) {
        this.log = log;
        this.context = context;
    }

    /**
     * Opens (creating if needed) the key log in {@code dataDir}, loads every key in it, and drops the keys of devices
     * that {@code deviceMasks} (the accounts' devices of a user, bit d for device d) no longer has: a crash between a
     * device's removal from its account and the removal of its keys leaves none behind.
     */
    public static KeyStore open(Path dataDir, KeysContext context, LongUnaryOperator deviceMasks) {
        LineLog<KeyEntry> log = LineLog.open(dataDir, FILE_NAME, KeyEntry::line, KeyEntry::parse);
        KeyStore store = new KeyStore(log, context);
        try {
            int lines = log.replay(store::replayed);
            store.dropRemovedDevices(deviceMasks);
            store.compactIfWasteful(lines);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        return store;
    }

    private boolean replayed(KeyEntry entry) {
        return users.computeIfAbsent(entry.user(), UserKeys::new).apply(entry);
    }

    private void dropRemovedDevices(LongUnaryOperator deviceMasks) {
        for (UserKeys keys : users.values()) {
            long mask = deviceMasks.applyAsLong(keys.user());
            for (DeviceKeys device : List.copyOf(keys.devices())) {
                if ((mask & (1L << device.device())) == 0) {
                    change(keys, KeyEntry.drop(keys.user(), device.device()));
                }
            }
        }
        log.sync();
    }

    /** Rewrites the log as what it holds now when most of its lines are history (keys taken, replaced or dropped). */
    private void compactIfWasteful(int lines) {
        int live = users.values().stream().mapToInt(UserKeys::entryCount).sum();
        if (lines <= COMPACT_FACTOR * live + COMPACT_SLACK_LINES) {
            return;
        }
        log.rewrite(entries -> users.values().forEach(keys -> keys.entries(entries)));
        LOG.info("compacted {}: {} lines to {}", FILE_NAME, lines, live);
    }

    /** Writes the change to the log, then makes it: a change that cannot be written is not made. */
    private void change(UserKeys keys, KeyEntry entry) {
        log.write(entry);
        keys.apply(entry);
    }

    /**
     * {@code PUT /v1/keys} from a device whose upload {@link KeySignatures#verified} checked. The first upload of an
     * account sets its identity key; the primary may replace it, which drops every device's keys (they were signed
     * with the old one); a companion's must be the account's.
     *
     * @param primary whether the device is its account's primary
     * @throws java.io.UncheckedIOException when the log cannot be written or forced; what was written before stays
     */
    public UploadResult upload(long user, int device, boolean primary, KeyUpload upload) {
        UserKeys keys = users.computeIfAbsent(user, UserKeys::new);
        UploadResult result;
        synchronized (keys) {
            result = refusal(keys, device, primary, upload);
            if (result == null) {
                store(keys, device, upload);
                DeviceKeys stored = keys.device(device);
                result = UploadResult.stored(stored == null ? new KeyCounts(0, 0) : stored.counts());
            }
        }
        if (result.status() == Status.STORED) {
            log.sync();
        }
        return result;
    }

    private UploadResult refusal(UserKeys keys, int device, boolean primary, KeyUpload upload) {
        if (keys.identityKey() != null && !keys.sameIdentity(upload.identityKey()) && !primary) {
            return UploadResult.refused(
                    Status.IDENTITY_CONFLICT,
                    "identityKey is not the account's: a companion device uploads its primary's identity key");
        }
        // A new identity key drops what the device has stored.
        DeviceKeys stored = keys.sameIdentity(upload.identityKey()) ? keys.device(device) : null;
        if (stored == null) {
            stored = NONE;
        }
        int preKeys = stored.preKeysAfter(upload.preKeys());
        int kyberPreKeys = stored.kyberPreKeysAfter(upload.kyberPreKeys());
        if (preKeys > context.maxPreKeys() || kyberPreKeys > context.maxKyberPreKeys()) {
            return UploadResult.refused(
                    Status.TOO_MANY_KEYS,
                    "device " + device + " would hold " + preKeys + " one-time pre-keys and " + kyberPreKeys
                            + " one-time Kyber pre-keys; at most " + context.maxPreKeys() + " and "
                            + context.maxKyberPreKeys() + " (GET /v1/keys/count says how many it has)");
        }
        return null;
    }

    private void store(UserKeys keys, int device, KeyUpload upload) {
        long user = keys.user();
        if (!keys.sameIdentity(upload.identityKey())) {
            for (DeviceKeys other : List.copyOf(keys.devices())) {
                change(keys, KeyEntry.drop(user, other.device()));
            }
            change(keys, KeyEntry.identity(user, upload.identityKey()));
        }
        if (upload.registrationId() != KeyUpload.NO_REGISTRATION_ID) {
            change(keys, KeyEntry.registration(user, device, upload.registrationId()));
        }
        if (upload.signedPreKey() != null) {
            change(keys, KeyEntry.key(Kind.SIGNED, user, device, upload.signedPreKey()));
        }
        if (upload.lastResortKyberPreKey() != null) {
            change(keys, KeyEntry.key(Kind.LAST_RESORT, user, device, upload.lastResortKyberPreKey()));
        }
        for (PreKey key : upload.preKeys()) {
            change(keys, KeyEntry.key(Kind.PRE, user, device, key));
        }
        for (PreKey key : upload.kyberPreKeys()) {
            change(keys, KeyEntry.key(Kind.KYBER, user, device, key));
        }
    }

    /**
     * {@code GET /v1/keys/{user}[/{device}]}: a bundle per device of the user ({@code device} 0) or of the one device,
     * with the next one-time key of each kind, each written as taken and forced before this returns; a device with no
     * one-time Kyber pre-key left gives its last-resort key. Devices without a signed and a last-resort key are left
     * out. Null when the user (or device) has no bundle to give.
     *
     * @throws java.io.UncheckedIOException when the log cannot be written or forced: the keys taken are then never
     *     handed out by anyone
     */
    public KeyBundle fetch(long user, int device) {
        UserKeys keys = users.get(user);
        if (keys == null) {
            return null;
        }
        KeyBundle bundle;
        synchronized (keys) {
            bundle = handOut(keys, device);
        }
        if (bundle != null && bundle.handedOut() > 0) {
            log.sync();
        }
        return bundle;
    }

    private KeyBundle handOut(UserKeys keys, int only) {
        if (keys.identityKey() == null) {
            return null;
        }
        List<DeviceBundle> devices = new ArrayList<>();
        int handedOut = 0;
        for (DeviceKeys device : keys.devices()) {
            if ((only != 0 && device.device() != only) || !device.complete()) {
                continue;
            }
            PreKey preKey = device.nextPreKey();
            if (preKey != null) {
                change(keys, KeyEntry.taken(Kind.TAKEN_PRE, keys.user(), device.device(), preKey.id()));
                handedOut++;
            }
            PreKey kyberPreKey = device.nextKyberPreKey();
            if (kyberPreKey != null) {
                change(keys, KeyEntry.taken(Kind.TAKEN_KYBER, keys.user(), device.device(), kyberPreKey.id()));
                handedOut++;
            } else {
                kyberPreKey = device.lastResortKyberPreKey();
            }
            devices.add(new DeviceBundle(
                    device.device(),
                    device.registrationId(),
                    device.signedPreKey(),
                    preKey,
                    kyberPreKey,
                    device.counts()));
        }
        return devices.isEmpty() ? null : new KeyBundle(keys.identityKey(), devices, handedOut);
    }

    /** {@code GET /v1/keys/count}: the device's one-time keys of each kind; none for a device that uploaded none. */
    public KeyCounts count(long user, int device) {
        UserKeys keys = users.get(user);
        if (keys == null) {
            return new KeyCounts(0, 0);
        }
        synchronized (keys) {
            DeviceKeys stored = keys.device(device);
            return stored == null ? new KeyCounts(0, 0) : stored.counts();
        }
    }

    /**
     * The device was removed from its account: every key of it is dropped, forced to the log before this returns.
     *
     * @throws java.io.UncheckedIOException when the log cannot be written or forced (the next start drops them)
     */
    public void removeDevice(long user, int device) {
        UserKeys keys = users.get(user);
        if (keys == null) {
            return;
        }
        boolean dropped;
        synchronized (keys) {
            dropped = keys.device(device) != null;
            if (dropped) {
                change(keys, KeyEntry.drop(user, device));
            }
        }
        if (dropped) {
            log.sync();
        }
    }

    @Override
    public void close() {
        log.close();
    }
}
