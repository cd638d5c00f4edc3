package io.switchboard.core.accounts;

import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Accounts by user id, striped so that lookups on the message path (the recipient's device set, checked on every
 * send) read without writing to a lock and allocate nothing — no boxing of user ids as a {@code ConcurrentHashMap}
 * would need. Registration, linking and removal, which are rare, take the stripe's write lock.
 *
 * <p>The device sets are also kept by user in a map of their own, key and mask side by side in one array: a send's
 * lookup reads one place, where the accounts' map read its keys, its values and then the account, three places out of
 * the cache at hundreds of thousands of sends a second (56 of the shards' 1,132 samples at 500,000 msgs/s on direct,
 * results/reference/20261207-device-masks).
 */
final class AccountDirectory {
    private static final int STRIPES = 64;

    private final StampedLock[] locks = new StampedLock[STRIPES];

    @SuppressWarnings("unchecked")
    private final Long2ObjectHashMap<Account>[] maps = new Long2ObjectHashMap[STRIPES];

    /** Per stripe, each account's {@link Account#deviceMask()}, brought up to date by every {@link #update}. */
    private final Long2LongHashMap[] deviceMasks = new Long2LongHashMap[STRIPES];

    AccountDirectory() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new StampedLock();
            maps[i] = new Long2ObjectHashMap<>();
            deviceMasks[i] = new Long2LongHashMap(0);
        }
    }

    private static int stripe(long user) {
        return (int) (user ^ (user >>> 32)) & (STRIPES - 1);
    }

    /** One stripe's read of a mask, made under {@link #mask}'s protocol. */
    @FunctionalInterface
    private interface StripeRead {
        long read(int stripe, long user);
    }

    private final StripeRead deviceMaskRead = (stripe, user) -> deviceMasks[stripe].get(user);
    private final StripeRead pushMaskRead = (stripe, user) -> {
        Account account = maps[stripe].get(user);
        return account == null ? 0 : account.pushMask();
    };

    /** Bit d set means device d is registered; 0 for an unknown user. */
    long deviceMask(long user) {
        return mask(user, deviceMaskRead);
    }

    /** Bit d set means device d has a push registration; 0 for an unknown user. */
    long pushMask(long user) {
        return mask(user, pushMaskRead);
    }

    /**
     * Read optimistically first: a read lock writes the stripe's lock word, so two shards reading on every send make
     * its cache line travel between their cores (this lookup took 176 ns a message with two shards against 61 with
     * one, results/reference/20261207-outbox-batches); an optimistic read only reads it. A read torn by a concurrent
     * write (a rare registration or link) may see a map half rehashed and throw, or read a stale mask: either way the
     * stamp no longer validates, and the read is made again under the lock.
     */
    private long mask(long user, StripeRead read) {
        int stripe = stripe(user);
        StampedLock lock = locks[stripe];
        long optimistic = lock.tryOptimisticRead();
        if (optimistic != 0) {
            try {
                long value = read.read(stripe, user);
                if (lock.validate(optimistic)) {
                    return value;
                }
            } catch (RuntimeException torn) {
                // Read again under the lock, below.
            }
        }
        long stamp = lock.readLock();
        try {
            return read.read(stripe, user);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    boolean tokenMatches(long user, int device, byte[] presentedHash) {
        int stripe = stripe(user);
        StampedLock lock = locks[stripe];
        long stamp = lock.readLock();
        try {
            Account account = maps[stripe].get(user);
            return account != null && account.tokenMatches(device, presentedHash);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Whether {@code adder} may add {@code user} to a group: true for an unknown user (the default, everyone). */
    boolean acceptsGroupAdd(long user, long adder) {
        int stripe = stripe(user);
        StampedLock lock = locks[stripe];
        long stamp = lock.readLock();
        try {
            Account account = maps[stripe].get(user);
            return account == null || account.acceptsAddFrom(adder);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Runs {@code view} on the user's account, or on null when there is none, under the stripe's read lock. */
    <T> T read(long user, Function<Account, T> view) {
        int stripe = stripe(user);
        StampedLock lock = locks[stripe];
        long stamp = lock.readLock();
        try {
            return view.apply(maps[stripe].get(user));
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /**
     * Runs {@code change} on the user's account (a new, empty one if absent) under the stripe's write lock; an account
     * left without devices (a refused first registration) is not kept.
     */
    <T> T update(long user, Function<Account, T> change) {
        int stripe = stripe(user);
        StampedLock lock = locks[stripe];
        long stamp = lock.writeLock();
        try {
            Account account = maps[stripe].computeIfAbsent(user, Account::new);
            try {
                return change.apply(account);
            } finally {
                if (account.deviceCount() == 0) {
                    maps[stripe].remove(user);
                }
                long mask = account.deviceMask();
                // 0 is the map's missing value, which it cannot hold: what an unknown user reads.
                if (mask == 0) {
                    deviceMasks[stripe].remove(user);
                } else {
                    deviceMasks[stripe].put(user, mask);
                }
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Shows every account to {@code visit}, a stripe at a time under its read lock. */
    void forEach(Consumer<Account> visit) {
        for (int i = 0; i < STRIPES; i++) {
            long stamp = locks[i].readLock();
            try {
                maps[i].values().forEach(visit);
            } finally {
                locks[i].unlockRead(stamp);
            }
        }
    }

    int size() {
        int size = 0;
        for (int i = 0; i < STRIPES; i++) {
            long stamp = locks[i].readLock();
            try {
                size += maps[i].size();
            } finally {
                locks[i].unlockRead(stamp);
            }
        }
        return size;
    }
}
