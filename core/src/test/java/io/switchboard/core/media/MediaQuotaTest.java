package io.switchboard.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The quota's counts under uploads that race: I/O loops take bytes while failed uploads and the sweep give them back,
 * and however they interleave, no user ever holds more than its quota nor the store more than its bound.
 */
@Timeout(60)
class MediaQuotaTest {
    private static final int THREADS = 4;
    private static final int ROUNDS = 20_000;

    @Test
    void shouldCountBlocksOfFourKibAndAnEmptyBlobAsOne() {
        assertThat(MediaQuota.charge(0)).isEqualTo(4096);
        assertThat(MediaQuota.charge(4096)).isEqualTo(4096);
        assertThat(MediaQuota.charge(4097)).isEqualTo(8192);
    }

    @Test
    void shouldNeverLetRacingUploadsPassAUsersQuotaOrTheStoreBound() throws Exception {
        long user = 42;
        MediaQuota quota = new MediaQuota(3 * MediaQuota.BLOCK_BYTES, 5 * MediaQuota.BLOCK_BYTES);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                // Half the threads upload as one user, half as users of their own, so both bounds are contended.
                long uploader = t % 2 == 0 ? user : 1000 + t;
                results.add(threads.submit(() -> race(quota, uploader, start)));
            }
            for (Future<long[]> result : results) {
                long[] maxima = result.get();
                assertThat(maxima[0]).as("most the user held").isLessThanOrEqualTo(3 * MediaQuota.BLOCK_BYTES);
                assertThat(maxima[1]).as("most the store held").isLessThanOrEqualTo(5 * MediaQuota.BLOCK_BYTES);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(quota.userBytes(user)).as("every take given back").isZero();
        assertThat(quota.storeBytes()).isZero();
    }

    /** Takes and gives back one block at a time; the most the uploader and the store held, as seen after a take. */
    private static long[] race(MediaQuota quota, long uploader, CyclicBarrier start) throws Exception {
        start.await();
        long[] maxima = new long[2];
        for (int i = 0; i < ROUNDS; i++) {
            if (quota.reserve(uploader, 1) == null) {
                maxima[0] = Math.max(maxima[0], quota.userBytes(uploader));
                maxima[1] = Math.max(maxima[1], quota.storeBytes());
                quota.release(uploader, 1);
            }
        }
        return maxima;
    }
}
