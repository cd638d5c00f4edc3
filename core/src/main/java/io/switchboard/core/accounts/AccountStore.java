package io.switchboard.core.accounts;

import io.switchboard.core.accounts.RegistrationResult.Status;
import io.switchboard.core.config.AccountsContext;
import io.switchboard.core.limits.UserLimits;
import io.switchboard.core.protocol.ProtocolLimits;
import io.switchboard.core.storage.LineLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts and their devices with the devices' tokens, kept in {@code accounts.log} (a {@link LineLog}) in the data
 * directory so that a restart keeps them. An account is created by its first device, its primary; further devices join
 * only with a single-use link code the primary obtained (protocol.md, Accounts and devices), up to {@link
 * ProtocolLimits#MAX_DEVICES_PER_ACCOUNT}, and the primary removes them. A device's push registration ({@code PUT
 * /v1/push}) is kept with it, so it survives a restart and goes when the device is removed. Every change is forced to
 * the log before it is answered.
 *
 * <p>Thread-safe. Lookups ({@link #deviceMask}, {@link #hasPush}, {@link #openSession}) are lock-striped and allocation-free apart from
 * the hash of a presented token; changes to one account serialise on its stripe, writes on the log, and no lock is
 * held while the log is forced.
 */
public final class AccountStore implements AutoCloseable {
    public static final String FILE_NAME = "accounts.log";
    private static final int TOKEN_BYTES = 32;
    private static final Logger LOG = LoggerFactory.getLogger(AccountStore.class);
    /** The log is compacted at a start when it holds more than this many lines per device, plus the slack. */
    private static final int COMPACT_FACTOR = 2;

    private static final int COMPACT_SLACK_LINES = 1024;

    private final AccountDirectory directory = new AccountDirectory();
    /** Push registrations over all accounts: while none, an owner's look for one is a single volatile read. */
    private final AtomicInteger pushRegistrations = new AtomicInteger();

    private final TokenIndex tokens = new TokenIndex();
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<MessageDigest> sha256 = ThreadLocal.withInitial(AccountStore::newDigest);
    private final LineLog<LogEntry> log;
    private final LinkCodes linkCodes;
    private final EpochClock clock;
    private final long maxAccounts;
    /** Accounts are never removed (a primary cannot be), so this only grows; bounded by {@link #maxAccounts}. */
    private final AtomicLong accounts = new AtomicLong();

    private final PrivacySettings privacy;
    private final PushRegistrations pushes;

    private AccountStore(LineLog<LogEntry> log, long linkCodeExpiryMs, long maxAccounts, EpochClock clock) {
        this.log = log;
        this.linkCodes = new LinkCodes(random, linkCodeExpiryMs);
        this.maxAccounts = maxAccounts;
        this.clock = clock;
        BiConsumer<Account, LogEntry> journaled = (account, entry) -> change(account, entry, log::write);
        this.privacy = new PrivacySettings(directory, journaled, log::sync);
        this.pushes = new PushRegistrations(directory, pushRegistrations, journaled, log::sync);
    }

    /**
     * Opens (creating if needed) the account log in {@code dataDir}, with link codes good for five minutes and the
     * default bound on accounts for this heap.
     */
    public static AccountStore open(Path dataDir) {
        return open(
                dataDir,
                AccountsContext.LINK_CODE_EXPIRY_MS_DEFAULT,
                AccountsContext.maxAccountsDefault(),
                SystemEpochClock.INSTANCE);
    }

    /**
     * Opens (creating if needed) the account log in {@code dataDir} and loads every account in it, all of them even
     * when they are more than {@code maxAccounts} (a bound lowered since they were created): none is ever dropped, but
     * no new one is created until they are fewer.
     */
    public static AccountStore open(Path dataDir, long linkCodeExpiryMs, long maxAccounts, EpochClock clock) {
        LineLog<LogEntry> log = LineLog.open(dataDir, FILE_NAME, LogEntry::line, LogEntry::parse);
        AccountStore store = new AccountStore(log, linkCodeExpiryMs, maxAccounts, clock);
        try {
            int lines = log.replay(store::replayed);
            store.accounts.set(store.directory.size());
            if (store.accounts.get() > maxAccounts) {
                LOG.warn(
                        "{} holds {} accounts, more than accounts.maxAccounts ({}): new accounts are refused",
                        FILE_NAME,
                        store.accounts.get(),
                        maxAccounts);
            }
            store.compactIfWasteful(lines);
        } catch (RuntimeException e) {
            log.close();
            throw e;
        }
        return store;
    }

    /**
     * Rewrites the log as one line per device when most of its lines are history (rotations, removed devices, lines
     * a crash tore): a token rotated in a loop would otherwise grow it, and every start's replay, without bound.
     */
    private void compactIfWasteful(int lines) {
        int[] needed = {0};
        directory.forEach(account -> needed[0] += account.deviceCount() + privacyLines(account));
        needed[0] += pushRegistrations.get();
        if (lines <= COMPACT_FACTOR * needed[0] + COMPACT_SLACK_LINES) {
            return;
        }
        log.rewrite(entries -> directory.forEach(account -> {
            AccountDevice primary = account.device(account.primary());
            entries.accept(LogEntry.create(account.user(), primary.device(), primary.tokenHash(), primary.createdMs()));
            for (AccountDevice device : account.devices()) {
                if (device != primary) {
                    entries.accept(
                            LogEntry.link(account.user(), device.device(), device.tokenHash(), device.createdMs()));
                }
            }
            for (AccountDevice device : account.devices()) {
                if (device.push() != null) {
                    entries.accept(LogEntry.push(account.user(), device.device(), device.push()));
                }
            }
            if (account.groupAdd() != GroupAddPrivacy.EVERYONE) {
                entries.accept(LogEntry.groupAdd(account.user(), account.groupAdd()));
            }
            if (account.contacts().length > 0) {
                entries.accept(LogEntry.contacts(account.user(), account.contacts()));
            }
        }));
        LOG.info(
                "compacted {}: {} lines to {}, one per device, push registration and privacy setting",
                FILE_NAME,
                lines,
                needed[0]);
    }

    /** The lines an account's privacy needs beyond its devices': none while it has the defaults. */
    private static int privacyLines(Account account) {
        return (account.groupAdd() == GroupAddPrivacy.EVERYONE ? 0 : 1) + (account.contacts().length > 0 ? 1 : 0);
    }

    /** Applies one entry of the log; false for one that contradicts what came before (the log was damaged). */
    private boolean replayed(LogEntry entry) {
        int device = entry.device();
        return directory.update(entry.user(), account -> {
            boolean fits = switch (entry.kind()) {
                case CREATE -> account.deviceCount() == 0;
                case LINK -> account.deviceCount() > 0 && !account.hasDevice(device);
                case TOKEN -> account.hasDevice(device);
                case LEGACY -> true;
                case REMOVE -> device != account.primary() && account.hasDevice(device);
                case GROUP_ADD, CONTACTS -> account.deviceCount() > 0;
                case PUSH, UNPUSH -> account.hasDevice(device);
            };
            if (fits) {
                apply(account, entry);
            }
            return fits;
        });
    }

    static boolean validIds(long user, int device) {
        return user >= 1 && user <= ProtocolLimits.MAX_ID && device >= 1 && device <= ProtocolLimits.MAX_DEVICE;
    }

    private static void requireValidIds(long user, int device) {
        if (!validIds(user, device)) {
            throw new IllegalArgumentException(
                    "user must be in 1.." + ProtocolLimits.MAX_ID + " and device in 1.." + ProtocolLimits.MAX_DEVICE);
        }
    }

    /** As {@link #register(long, int, String, String)} without a link code. */
    public RegistrationResult register(long user, int device, String currentToken) {
        return register(user, device, currentToken, null);
    }

    /**
     * {@code POST /v1/accounts}: creates the account with {@code device} as its primary when the user has none;
     * otherwise rotates the device's token when {@code currentToken} is its token now, or adds the device with a valid
     * {@code linkCode} from the account's primary (which it then uses up).
     *
     * @throws IllegalArgumentException when the ids are out of range
     * @throws java.io.UncheckedIOException when the log cannot be written (nothing changed) or forced (see {@link
     *     LineLog#sync})
     */
    public RegistrationResult register(long user, int device, String currentToken, String linkCode) {
        requireValidIds(user, device);
        byte[] presented = currentToken == null ? null : hash(currentToken);
        RegistrationResult result = directory.update(user, account -> {
            if (linkCode != null) {
                String token = newToken();
                Status linked = link(account, device, linkCode, hash(token), log::write);
                return linked == Status.LINKED
                        ? RegistrationResult.of(linked, token)
                        : RegistrationResult.refused(linked);
            }
            if (account.deviceCount() > 0 && (presented == null || !account.tokenMatches(device, presented))) {
                return RegistrationResult.refused(Status.CONFLICT);
            }
            String token = newToken();
            AccountDevice rotated = account.device(device);
            long session = rotated == null ? 0 : rotated.connection();
            Status status = createOrRotate(account, device, hash(token), log::write);
            return status.registered()
                    ? RegistrationResult.of(status, token, session)
                    : RegistrationResult.refused(status);
        });
        if (result.status().registered()) {
            log.sync();
        }
        return result;
    }

    /**
     * A new account with its primary, if the store has room for one more, or (the account exists and has the device) a
     * rotation.
     */
    private Status createOrRotate(Account account, int device, byte[] tokenHash, Consumer<LogEntry> journal) {
        if (account.deviceCount() == 0) {
            // Reserved before the change so that concurrent creations on other stripes cannot pass the bound together.
            if (accounts.incrementAndGet() > maxAccounts) {
                accounts.decrementAndGet();
                return Status.FULL;
            }
            try {
                change(account, LogEntry.create(account.user(), device, tokenHash, clock.time()), journal);
            } catch (RuntimeException e) {
                accounts.decrementAndGet();
                throw e;
            }
            return Status.CREATED;
        }
        change(account, LogEntry.token(account.user(), device, tokenHash), journal);
        return Status.ROTATED;
    }

    /** Adds a device with a link code of the account, if it is valid and the account has room; uses the code up. */
    private Status link(Account account, int device, String code, byte[] tokenHash, Consumer<LogEntry> journal) {
        long nowMs = clock.time();
        if (!linkCodes.valid(code, account.user(), nowMs)) {
            return Status.LINK_REFUSED;
        }
        if (account.hasDevice(device)) {
            return Status.CONFLICT;
        }
        if (account.deviceCount() >= ProtocolLimits.MAX_DEVICES_PER_ACCOUNT) {
            return Status.TOO_MANY_DEVICES;
        }
        change(account, LogEntry.link(account.user(), device, tokenHash, nowMs), journal);
        linkCodes.consume(code);
        return Status.LINKED;
    }

    /**
     * Journals the change, then makes it: a change that cannot be journaled is not made. The entry is only written
     * here, under the stripe's write lock; the caller forces it ({@link LineLog#sync}) after releasing the lock, so
     * that the shard threads reading this stripe never wait for a disk, and registrations share their forces.
     */
    private void change(Account account, LogEntry entry, Consumer<LogEntry> journal) {
        journal.accept(entry);
        apply(account, entry);
    }

    /**
     * Makes the change an entry describes, to the account and the token index. A {@code LEGACY} entry names a device
     * new to its account (its first is its primary) or a rotation.
     */
    private void apply(Account account, LogEntry entry) {
        if (entry.kind() == LogEntry.Kind.GROUP_ADD) {
            account.groupAdd(entry.groupAdd());
            return;
        }
        if (entry.kind() == LogEntry.Kind.CONTACTS) {
            account.contacts(entry.contacts());
            return;
        }
        long user = entry.user();
        int device = entry.device();
        AccountDevice existing = account.device(device);
        if (entry.kind() == LogEntry.Kind.PUSH || entry.kind() == LogEntry.Kind.UNPUSH) {
            pushRegistrations.addAndGet((entry.push() != null ? 1 : 0) - (existing.push() != null ? 1 : 0));
            account.push(existing, entry.push());
            return;
        }
        if (existing != null) {
            tokens.remove(existing.tokenHash(), user, device);
        }
        switch (entry.kind()) {
            case REMOVE -> {
                if (existing.push() != null) {
                    pushRegistrations.decrementAndGet();
                }
                account.remove(device);
            }
            case PUSH, UNPUSH -> throw new IllegalStateException("applied above");
            case CREATE, LINK, TOKEN, LEGACY -> {
                if (existing == null) {
                    account.add(new AccountDevice(device, entry.tokenHash(), entry.ts()));
                } else {
                    existing.tokenHash(entry.tokenHash());
                }
                tokens.put(entry.tokenHash(), user, device);
            }
        }
    }

    /**
     * {@code POST /v1/devices/link}: a new link code for the caller's account, replacing the one it had, when the
     * caller is the account's primary device; empty otherwise.
     */
    public Optional<LinkCode> linkCode(DeviceId caller) {
        return directory.update(
                caller.user(),
                account -> account.primary() == caller.device()
                        ? Optional.of(new LinkCode(linkCodes.issue(caller.user(), clock.time()), linkCodes.expiryMs()))
                        : Optional.empty());
    }

    /**
     * {@code DELETE /v1/devices/{device}}: the caller, the account's primary, removes a companion. Its token stops
     * verifying at once and it leaves the device mask; its sessions and queued messages are the router's to end.
     *
     * @throws java.io.UncheckedIOException when the log cannot be written (nothing changed) or forced (see {@link
     *     LineLog#sync})
     */
    public RemovalResult remove(DeviceId caller, int device) {
        RemovalResult result = directory.update(caller.user(), account -> {
            if (account.primary() != caller.device()) {
                return RemovalResult.NOT_PRIMARY;
            }
            if (device == account.primary()) {
                return RemovalResult.PRIMARY;
            }
            if (!account.hasDevice(device)) {
                return RemovalResult.NO_SUCH_DEVICE;
            }
            change(account, LogEntry.remove(caller.user(), device, clock.time()), log::write);
            return RemovalResult.REMOVED;
        });
        if (result == RemovalResult.REMOVED) {
            log.sync();
        }
        return result;
    }

    /** Who may add each user to a group, and the contact lists that decide it ({@code /v1/settings}, {@code /v1/contacts}). */
    public PrivacySettings privacy() {
        return privacy;
    }

    /** The devices' push registrations ({@code /v1/push}), kept with the devices. */
    public PushRegistrations pushes() {
        return pushes;
    }

    /** The device whose current token {@code token} is (a {@code Bearer} token), or null. */
    public DeviceId authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > ProtocolLimits.MAX_TOKEN_LENGTH) {
            return null;
        }
        byte[] hash = hash(token);
        long packed = tokens.find(hash);
        if (packed == TokenIndex.MISSING) {
            return null;
        }
        long user = TokenIndex.user(packed);
        int device = TokenIndex.device(packed);
        return directory.tokenMatches(user, device, hash) ? new DeviceId(user, device) : null;
    }

    /** {@code GET /v1/devices}: the user's devices in device order; empty for an unknown user. */
    public List<DeviceInfo> devices(long user) {
        long nowMs = clock.time();
        List<DeviceInfo> devices = directory.read(user, account -> {
            List<DeviceInfo> list = new ArrayList<>();
            if (account != null) {
                for (AccountDevice entry : account.devices()) {
                    list.add(new DeviceInfo(
                            entry.device(),
                            entry.device() == account.primary(),
                            entry.createdMs(),
                            entry.online(),
                            entry.online() ? nowMs : entry.lastSeenMs()));
                }
            }
            return list;
        });
        devices.sort(Comparator.comparingInt(DeviceInfo::device));
        return devices;
    }

    /** The session on {@code connection} closed; it is the device's last seen time unless a newer one replaced it. */
    public void sessionClosed(long user, int device, long connection) {
        long nowMs = clock.time();
        directory.read(user, account -> {
            AccountDevice entry = account == null ? null : account.device(device);
            if (entry != null) {
                entry.sessionClosed(connection, nowMs);
            }
            return null;
        });
    }

    /**
     * Creates the accounts of users {@code firstUser .. firstUser + count - 1}, each with {@code device} as its primary
     * and the token the caller chose, writing the same log lines as {@link #register} but forcing the log once at the
     * end instead of once per account. For a load generator that preloads the accounts of an embedded server it owns,
     * before any client connects: nobody holds one of these tokens until this returns, so the single force loses no
     * promise. An account that has the device already gets the new token; companions join with {@link #linkAll}.
     *
     * @throws IllegalArgumentException when an id is out of range, or a user's account exists without {@code device}
     *     (checked before anything changes)
     * @throws IllegalStateException when the store reaches its bound on accounts
     */
    public synchronized void registerAll(long firstUser, int count, int device, LongFunction<String> tokenOf) {
        requireValidRange(firstUser, count, device);
        for (long user = firstUser; user < firstUser + count; user++) {
            boolean foreign = directory.read(user, account -> account != null && !account.hasDevice(device));
            if (foreign) {
                throw new IllegalArgumentException(
                        "user " + user + " has an account without device " + device + ": link it (linkAll)");
            }
        }
        try (LineLog<LogEntry>.Batch batch = log.batch()) {
            for (long user = firstUser; user < firstUser + count; user++) {
                byte[] tokenHash = hash(tokenOf.apply(user));
                Status status =
                        directory.update(user, account -> createOrRotate(account, device, tokenHash, batch::add));
                if (status == Status.FULL) {
                    throw new IllegalStateException("user " + user + ": the store holds " + maxAccounts
                            + " accounts, its most (accounts.maxAccounts); the users before it are registered");
                }
            }
        }
    }

    /**
     * Links {@code device} to the accounts of users {@code firstUser .. firstUser + count - 1} as a client would: the
     * primary, authenticated by its token ({@code primaryTokenOf}), obtains a link code, and the new device joins with
     * it and the token the caller chose ({@code tokenOf}). Logged as {@link #register} would, forced once at the end,
     * for a load generator's embedded server as {@link #registerAll} is.
     *
     * @throws IllegalArgumentException when an id is out of range, a primary's token does not authenticate it, or a
     *     link is refused (the device exists, or the account is full); the accounts before it are linked
     */
    public synchronized void linkAll(
            long firstUser, int count, int device, LongFunction<String> primaryTokenOf, LongFunction<String> tokenOf) {
        requireValidRange(firstUser, count, device);
        try (LineLog<LogEntry>.Batch batch = log.batch()) {
            for (long user = firstUser; user < firstUser + count; user++) {
                DeviceId primary = authenticate(primaryTokenOf.apply(user));
                LinkCode code = primary == null || primary.user() != user
                        ? null
                        : linkCode(primary).orElse(null);
                if (code == null) {
                    throw new IllegalArgumentException("user " + user + ": the token given is not its primary's");
                }
                byte[] tokenHash = hash(tokenOf.apply(user));
                Status linked =
                        directory.update(user, account -> link(account, device, code.code(), tokenHash, batch::add));
                if (linked != Status.LINKED) {
                    throw new IllegalArgumentException("user " + user + ": linking device " + device + ": " + linked);
                }
            }
        }
    }

    private static void requireValidRange(long firstUser, int count, int device) {
        if (count < 0 || !validIds(firstUser, device) || !validIds(firstUser + Math.max(0, count - 1), device)) {
            throw new IllegalArgumentException("users or device out of range");
        }
    }

    /**
     * A {@code hello}: when {@code token[0..length)} is the device's current token, records {@code connection} (never
     * 0) as the device's session and answers true. The check and the record happen under the stripe's read lock, which
     * a rotation's write lock excludes, so a rotation either refuses this hello or finds its connection to close.
     */
    public boolean openSession(long user, int device, byte[] token, int length, long connection) {
        if (!validIds(user, device)) {
            return false;
        }
        MessageDigest digest = sha256.get();
        digest.update(token, 0, length);
        byte[] presented = digest.digest();
        return directory.read(user, account -> {
            if (account == null || !account.tokenMatches(device, presented)) {
                return false;
            }
            account.device(device).sessionOpened(connection);
            return true;
        });
    }

    /** The rate budget all of the user's connections share, or null for an unknown user. */
    public UserLimits userLimits(long user, long nowNs) {
        return directory.read(user, account -> account == null ? null : account.limits(nowNs));
    }

    /** The primary device of the user's account, or 0 for an unknown user. */
    public int primary(long user) {
        return directory.read(user, account -> account == null ? 0 : account.primary());
    }

    /** The connection of the device's current session, or 0 while it has none (or is no device of the user). */
    public long session(long user, int device) {
        return directory.read(user, account -> {
            AccountDevice entry = account == null ? null : account.device(device);
            return entry == null ? 0L : entry.connection();
        });
    }

    /** The user's registered devices as a bit mask (bit d for device d), 0 for an unknown user. */
    public long deviceMask(long user) {
        return directory.deviceMask(user);
    }

    public long accountCount() {
        return accounts.get();
    }

    private String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private byte[] hash(String token) {
        return sha256.get().digest(token.getBytes(StandardCharsets.US_ASCII));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    @Override
    public void close() {
        log.close();
    }
}
