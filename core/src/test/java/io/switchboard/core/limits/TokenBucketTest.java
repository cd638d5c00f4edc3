package io.switchboard.core.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.RateLimit;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long MS = 1_000_000;
    /** Ten a second, five saved up: a token every 100 ms. */
    private static final RateLimit TEN_A_SECOND = new RateLimit(10, TimeUnit.SECONDS, 5);

    @Test
    void shouldGiveTheBurstAtOnceThenSayHowLongUntilTheNextToken() {
        long now = 123 * MS;
        TokenBucket bucket = new TokenBucket(now);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.take(TEN_A_SECOND, 1, now)).isZero();
        }
        assertThat(bucket.take(TEN_A_SECOND, 1, now)).isEqualTo(100 * MS);
        assertThat(bucket.take(TEN_A_SECOND, 1, now + 40 * MS)).isEqualTo(60 * MS);
        assertThat(bucket.take(TEN_A_SECOND, 1, now + 100 * MS)).isZero();
        assertThat(bucket.take(TEN_A_SECOND, 1, now + 100 * MS)).isEqualTo(100 * MS);
    }

    @Test
    void shouldRefillLazilyUpToTheBurstOnly() {
        TokenBucket bucket = new TokenBucket(0);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.take(TEN_A_SECOND, 1, 0)).isZero();
        }
        long anHourLater = TimeUnit.HOURS.toNanos(1);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.take(TEN_A_SECOND, 1, anHourLater)).isZero();
        }
        assertThat(bucket.take(TEN_A_SECOND, 1, anHourLater)).isEqualTo(100 * MS);
    }

    @Test
    void shouldTakeAWeightWholeOrNotAtAll() {
        TokenBucket bucket = new TokenBucket(0);
        assertThat(bucket.take(TEN_A_SECOND, 3, 0)).isZero();
        assertThat(bucket.take(TEN_A_SECOND, 3, 0)).as("two left, three wanted").isEqualTo(100 * MS);
        assertThat(bucket.take(TEN_A_SECOND, 2, 0))
                .as("the refusal took nothing")
                .isZero();
    }

    @Test
    void shouldCountAWeightAboveTheBurstAsAWholeBucket() {
        TokenBucket bucket = new TokenBucket(0);
        assertThat(bucket.take(TEN_A_SECOND, 1, 0)).isZero();
        assertThat(bucket.take(TEN_A_SECOND, 1000, 0)).isEqualTo(100 * MS);
        assertThat(bucket.take(TEN_A_SECOND, 1000, 100 * MS)).isZero();
        assertThat(bucket.take(TEN_A_SECOND, 1, 100 * MS)).isEqualTo(100 * MS);
    }

    @Test
    void shouldOrderTimesAcrossTheWrapOfNanoTime() {
        long now = Long.MAX_VALUE - 50 * MS;
        TokenBucket bucket = new TokenBucket(now);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.take(TEN_A_SECOND, 1, now)).isZero();
        }
        assertThat(bucket.take(TEN_A_SECOND, 1, now + 60 * MS)).isEqualTo(40 * MS);
        assertThat(bucket.take(TEN_A_SECOND, 1, now + 100 * MS)).isZero();
    }

    @Test
    void shouldAlwaysGiveWhenTheLimitIsOff() {
        TokenBucket bucket = new TokenBucket(0);
        RateLimit off = new RateLimit(0, TimeUnit.SECONDS, 1);
        for (int i = 0; i < 1000; i++) {
            assertThat(bucket.take(off, 1, 0)).isZero();
        }
    }

    @Test
    void shouldRoundAWaitUpToWholeMilliseconds() {
        assertThat(TokenBucket.retryAfterMs(1)).isEqualTo(1);
        assertThat(TokenBucket.retryAfterMs(MS)).isEqualTo(1);
        assertThat(TokenBucket.retryAfterMs(MS + 1)).isEqualTo(2);
    }

    @Test
    void shouldRefillPerMinuteRates() {
        TokenBucket bucket = new TokenBucket(0);
        RateLimit sixAMinute = new RateLimit(6, TimeUnit.MINUTES, 1);
        assertThat(bucket.take(sixAMinute, 1, 0)).isZero();
        assertThat(bucket.take(sixAMinute, 1, 0)).isEqualTo(TimeUnit.SECONDS.toNanos(10));
    }
}
