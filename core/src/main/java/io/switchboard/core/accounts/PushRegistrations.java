package io.switchboard.core.accounts;

import io.switchboard.core.push.PushRegistration;
import io.switchboard.core.push.PushTargets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The devices' push registrations ({@code PUT/DELETE /v1/push}), kept with the devices in the accounts ({@link
 * AccountStore}) and their log, so that a removed device's registration goes with it in the same locked step. The push
 * service reads them as its {@link PushTargets}. Thread-safe.
 */
public final class PushRegistrations implements PushTargets {
    private final AccountDirectory directory;
    /** How many devices have a registration, kept by the store as it applies entries: 0 makes the owners' check free. */
    private final AtomicInteger count;
    /** Writes an entry to the log and applies it to the account, under the stripe's write lock. */
    private final BiConsumer<Account, LogEntry> change;
    /** Forces the log, after the lock is released. */
    private final Runnable sync;

    PushRegistrations(
            AccountDirectory directory, AtomicInteger count, BiConsumer<Account, LogEntry> change, Runnable sync) {
        this.directory = directory;
        this.count = count;
        this.change = change;
        this.sync = sync;
    }

    /**
     * {@code PUT /v1/push}: {@code registration} is where to wake the caller while it has no session, replacing any it
     * had; false when the device is no longer in its account. Registering the same again writes nothing.
     *
     * @throws java.io.UncheckedIOException when the log cannot be written (nothing changed) or forced
     */
    public boolean register(DeviceId caller, PushRegistration registration) {
        int device = caller.device();
        Boolean registered = directory.update(caller.user(), account -> {
            AccountDevice entry = account.device(device);
            if (entry == null) {
                return false;
            }
            if (!registration.equals(entry.push())) {
                change.accept(account, LogEntry.push(caller.user(), device, registration));
            }
            return true;
        });
        sync.run();
        return registered;
    }

    /**
     * Ends the device's push registration: {@code DELETE /v1/push} ({@code token} null), or its platform refused
     * {@code token} as no longer valid, which ends the registration only while it still holds that token (the device
     * may have registered a new one meanwhile). Returns whether one ended.
     *
     * @throws java.io.UncheckedIOException when the log cannot be written (nothing changed) or forced
     */
    public boolean unregister(long user, int device, String token) {
        Boolean ended = directory.update(user, account -> {
            AccountDevice entry = account.device(device);
            if (entry == null
                    || entry.push() == null
                    || (token != null && !token.equals(entry.push().token()))) {
                return false;
            }
            change.accept(account, LogEntry.unpush(user, device));
            return true;
        });
        if (ended) {
            sync.run();
        }
        return ended;
    }

    /**
     * Whether the device has a push registration: a volatile read while no device has one, else the stripe's read
     * lock; allocates nothing. For the owners, on a message queued for a device without a session.
     */
    @Override
    public boolean registered(long user, int device) {
        return count.get() > 0 && (directory.pushMask(user) & (1L << device)) != 0;
    }

    @Override
    public PushRegistration target(long user, int device) {
        return directory.read(user, account -> {
            AccountDevice entry = account == null ? null : account.device(device);
            return entry == null || entry.online() ? null : entry.push();
        });
    }

    @Override
    public void invalid(long user, int device, String token) {
        unregister(user, device, token);
    }
}
