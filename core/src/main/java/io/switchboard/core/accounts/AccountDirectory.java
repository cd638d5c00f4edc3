package io.switchboard.core.accounts;

import java.util.concurrent.locks.StampedLock;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * Accounts by user id, striped so that lookups on the message path (the recipient's device set, checked on every
 * send) take an uncontended read lock and allocate nothing — no boxing of user ids as a {@code ConcurrentHashMap}
 * would need. Registration, which is rare, takes the stripe's write lock.
 */
final class AccountDirectory {
    private static final int STRIPES = 64;

    private final StampedLock[] locks = new StampedLock[STRIPES];

    @SuppressWarnings("unchecked")
    private final Long2ObjectHashMap<Account>[] maps = new Long2ObjectHashMap[STRIPES];

    AccountDirectory() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new StampedLock();
            maps[i] = new Long2ObjectHashMap<>();
        }
    }

    private static int stripe(long user) {
        return (int) (user ^ (user >>> 32)) & (STRIPES - 1);
    }

    /** Bit d set means device d is registered; 0 for an unknown user. */
    long deviceMask(long user) {
        int stripe = stripe(user);
        StampedLock lock = locks[stripe];
        long stamp = lock.readLock();
        try {
            Account account = maps[stripe].get(user);
            return account == null ? 0 : account.deviceMask();
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

    /** Runs {@code change} on the user's account (created if absent) under the stripe's write lock. */
    <T> T update(long user, java.util.function.Function<Account, T> change) {
        int stripe = stripe(user);
        StampedLock lock = locks[stripe];
        long stamp = lock.writeLock();
        try {
            return change.apply(maps[stripe].computeIfAbsent(user, Account::new));
        } finally {
            lock.unlockWrite(stamp);
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
