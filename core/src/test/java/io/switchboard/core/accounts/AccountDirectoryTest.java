package io.switchboard.core.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link AccountDirectory} read on the message path while its accounts change: a read that races a write to its stripe
 * (the stripe's map growing, or compacting a chain after a removal) still gives the mask the account has.
 */
class AccountDirectoryTest {
    /** Users in one stripe: the directory stripes by the user's low bits. */
    private static final long STRIPE_STEP = 64;

    @Test
    void shouldReadTheMaskAnAccountHasWhileOthersInItsStripeComeAndGo() throws InterruptedException {
        AccountDirectory directory = new AccountDirectory();
        int readAccounts = 4_000;
        for (int i = 0; i < readAccounts; i++) {
            add(directory, user(i));
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        Thread reader = new Thread(() -> {
            for (int i = 0; !done.get(); i = (i + 1) % readAccounts) {
                if (directory.deviceMask(user(i)) != 0b10) {
                    wrong.incrementAndGet();
                }
                reads.incrementAndGet();
            }
        });
        reader.start();
        try {
            for (int i = readAccounts; i < readAccounts * 20; i++) {
                add(directory, user(i)); // the stripe's map grows, and now and then rehashes
                // An account made and dropped at once (a refused registration): entries after it in its chain move.
                directory.update(user(i) + STRIPE_STEP * 1_000_000, account -> null);
            }
        } finally {
            done.set(true);
            reader.join();
        }

        assertThat(reads.get()).as("reads raced the writes").isPositive();
        assertThat(wrong.get()).as("reads that saw another mask").isZero();
    }

    private static long user(int i) {
        return 1 + STRIPE_STEP * i;
    }

    private static void add(AccountDirectory directory, long user) {
        directory.update(user, account -> {
            account.add(new AccountDevice(1, new byte[32], 0));
            return null;
        });
    }
}
