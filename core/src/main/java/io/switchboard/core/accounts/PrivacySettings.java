package io.switchboard.core.accounts;

import io.switchboard.core.protocol.ProtocolLimits;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Group privacy (docs/protocol-notes.md): who may add each user to a group, and the contact list that {@link
 * GroupAddPrivacy#CONTACTS} consults. Kept in the accounts ({@link AccountStore}) and their log: a change is written
 * and applied under the account's stripe lock and forced before it is answered. Thread-safe.
 */
public final class PrivacySettings {
    /** The most contacts an account keeps (an address book's size; WhatsApp syncs about as many). */
    public static final int MAX_CONTACTS = 5_000;

    private final AccountDirectory directory;
    /** Writes an entry to the log and applies it to the account, under the stripe's write lock. */
    private final BiConsumer<Account, LogEntry> change;
    /** Forces the log, after the lock is released. */
    private final Runnable sync;

    PrivacySettings(AccountDirectory directory, BiConsumer<Account, LogEntry> change, Runnable sync) {
        this.directory = directory;
        this.change = change;
        this.sync = sync;
    }

    /**
     * {@code PUT /v1/settings/privacy}: who may add the user to a group from now on. False, changing nothing, when the
     * user has no account.
     *
     * @throws java.io.UncheckedIOException when the log cannot be written (nothing changed) or forced
     */
    public boolean groupAdd(long user, GroupAddPrivacy setting) {
        return changePrivacy(user, LogEntry.groupAdd(user, setting));
    }

    /**
     * {@code PUT /v1/contacts}: the user's contact list, replacing the one before; ids repeated count once. False,
     * changing nothing, when the user has no account.
     *
     * @throws IllegalArgumentException for more than {@link #MAX_CONTACTS} distinct ids or one out of 1..2^53-1
     * @throws java.io.UncheckedIOException when the log cannot be written (nothing changed) or forced
     */
    public boolean contacts(long user, long[] contacts) {
        long[] sorted = Arrays.stream(contacts).sorted().distinct().toArray();
        if (sorted.length > MAX_CONTACTS) {
            throw new IllegalArgumentException("at most " + MAX_CONTACTS + " contacts, not " + sorted.length);
        }
        if (sorted.length > 0 && (sorted[0] < 1 || sorted[sorted.length - 1] > ProtocolLimits.MAX_ID)) {
            throw new IllegalArgumentException("a contact is a user id in 1.." + ProtocolLimits.MAX_ID);
        }
        return changePrivacy(user, LogEntry.contacts(user, sorted));
    }

    private boolean changePrivacy(long user, LogEntry entry) {
        boolean changed = directory.update(user, account -> {
            if (account.deviceCount() == 0) {
                return false;
            }
            change.accept(account, entry);
            return true;
        });
        if (changed) {
            sync.run();
        }
        return changed;
    }

    /** {@code GET /v1/settings/privacy}: the user's setting, {@link GroupAddPrivacy#EVERYONE} for an unknown user. */
    public GroupAddPrivacy groupAdd(long user) {
        return directory.read(user, account -> account == null ? GroupAddPrivacy.EVERYONE : account.groupAdd());
    }

    /** {@code GET /v1/contacts}: the user's contacts, sorted; empty for an unknown user. Callers must not change it. */
    public long[] contacts(long user) {
        return directory.read(user, account -> account == null ? new long[0] : account.contacts());
    }

    /**
     * Whether {@code adder} may add {@code user} to a group under the user's setting (an unknown user has the default,
     * everyone). Read by the owners of groups on their own threads: a stripe read lock, no allocation.
     */
    public boolean acceptsGroupAdd(long user, long adder) {
        return directory.acceptsGroupAdd(user, adder);
    }
}
