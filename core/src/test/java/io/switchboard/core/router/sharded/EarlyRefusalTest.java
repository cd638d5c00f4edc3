package io.switchboard.core.router.sharded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * A send is never refused for an outbox at or below its mark, always at twice it, and in between with a probability
 * that rises linearly with the backlog.
 */
class EarlyRefusalTest {
    private static final int MARK = 4 * 1024 * 1024;
    private static final int DRAWS = 100_000;

    private final EarlyRefusal refusal = new EarlyRefusal(MARK, 2 * MARK, 42);

    private double refusedShare(EarlyRefusal early, int occupancy) {
        int refused = 0;
        for (int i = 0; i < DRAWS; i++) {
            if (early.refuse(occupancy)) {
                refused++;
            }
        }
        return refused / (double) DRAWS;
    }

    @Test
    void shouldTakeEverySendAtOrBelowTheMarkAndRefuseEveryOneFromTwiceIt() {
        assertThat(refusedShare(refusal, 0)).isZero();
        assertThat(refusedShare(refusal, MARK)).isZero();
        assertThat(refusedShare(refusal, 2 * MARK)).isOne();
        assertThat(refusedShare(refusal, 3 * MARK)).isOne();
    }

    @Test
    void shouldRefuseAShareThatRisesWithTheBacklogBetweenTheMarkAndTwiceIt() {
        assertThat(refusedShare(refusal, MARK + MARK / 4)).isCloseTo(0.25, within(0.01));
        assertThat(refusedShare(refusal, MARK + MARK / 2)).isCloseTo(0.5, within(0.01));
        assertThat(refusedShare(refusal, MARK + 3 * (MARK / 4))).isCloseTo(0.75, within(0.01));
        assertThat(refusedShare(refusal, MARK + 1)).as("just past the mark").isLessThan(0.001);
        assertThat(refusedShare(refusal, 2 * MARK - 1))
                .as("just below twice it")
                .isGreaterThan(0.999);
    }

    @Test
    void shouldKeepTheBandInsideTheRingAndActAsAHardMarkWhenItHasNoRoom() {
        int capacity = 16 * 1024 * 1024;
        assertThat(refusedShare(EarlyRefusal.forOutbox(MARK, capacity, 7), MARK + MARK / 2))
                .as("twice the mark fits: the band is the mark to twice it")
                .isCloseTo(0.5, within(0.01));
        int highest = capacity - capacity / 8;
        EarlyRefusal atTheBound = EarlyRefusal.forOutbox(highest, capacity, 7);
        assertThat(refusedShare(atTheBound, highest)).isZero();
        assertThat(refusedShare(atTheBound, highest + 1))
                .as("a mark at its upper bound leaves no band: every send past it is refused")
                .isOne();
        EarlyRefusal nearTheBound = EarlyRefusal.forOutbox(capacity / 2, capacity, 7);
        assertThat(refusedShare(nearTheBound, highest))
                .as("the band ends at the bound")
                .isOne();
    }
}
