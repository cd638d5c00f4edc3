package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.scenario.Slo;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** What holding a step takes besides its objectives: keeping up with deliveries, losing nothing, draining. */
class CapacityStepTest {
    private static final double WINDOW_SEC = 5;
    private static final List<Slo> P99_UNDER_50MS = List.of(Slo.parse("p99 < 50ms"));

    /**
     * A run at 1,000 msgs/s over a 5 s window: {@code perMessage} deliveries owed per message, {@code inWindowPerSec}
     * deliveries a second while the window was open, every latency {@code p99Micros}.
     */
    private static RunOutcome outcome(
            int perMessage, double inWindowPerSec, long lost, boolean drainSettled, long p99Micros) {
        return outcome(perMessage, inWindowPerSec, lost, drainSettled, p99Micros, 0);
    }

    /** As above, with a share of the sends refused by the server ({@code unavailable}). */
    private static RunOutcome outcome(
            int perMessage, double inWindowPerSec, long lost, boolean drainSettled, long p99Micros, double refused) {
        Histogram latency = new Histogram(WindowFigures.MAX_MICROS, 3);
        latency.recordValueWithCount(p99Micros, 100);
        long sent = (long) (1_000 * WINDOW_SEC);
        long acked = Math.round(sent * (1 - refused));
        return new RunOutcome(
                new Oracle.OracleCounts(
                        sent,
                        acked,
                        acked * perMessage - lost,
                        lost,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        Map.of(),
                        0,
                        sent - acked,
                        0,
                        0),
                HeldAtEnd.NOTHING,
                sent,
                0,
                acked,
                acked * perMessage - lost,
                (long) (inWindowPerSec * WINDOW_SEC),
                latency,
                latency,
                latency,
                latency,
                List.of(),
                List.of(),
                WINDOW_SEC,
                1,
                drainSettled,
                null,
                null,
                new PresenceCounts(),
                0,
                Map.of(),
                Map.of(),
                null,
                List.of(),
                new RunOutcome.ClientFigures("none", sent, 0, 0, 0, 0, 0, 0, 0, WINDOW_SEC),
                PhoneFigures.NONE,
                WindowCosts.Figures.NONE);
    }

    @Test
    void shouldHoldWhenTheObjectivesHoldAndDeliveriesKeptUpWithNothingLostAndTheDrainDone() {
        CapacityStep step = CapacityStep.judge(1_000, outcome(1, 920, 0, true, 20_000), P99_UNDER_50MS);

        assertThat(step.held()).isTrue();
        assertThat(step.figures()).containsEntry("held", true).containsEntry("whyFailed", "");
    }

    @Test
    void shouldNotHoldWhenTheServerAcksButDeliversUnderNinetyPercentWhateverItsLatency() {
        CapacityStep step = CapacityStep.judge(1_000, outcome(1, 880, 0, true, 20_000), P99_UNDER_50MS);

        assertThat(step.held()).isFalse();
        assertThat(step.whyFailed()).isEqualTo("delivered 880/s, under 90% of the 1,000/s owed");
    }

    @Test
    void shouldNotHoldWhenTheServerRefusedTheSendsItDidNotDeliver() {
        // A third refused, every accepted message delivered: before, deliveries were owed per message sent, refused
        // ones too, so a server refusing what it could not carry held at any rate.
        CapacityStep step = CapacityStep.judge(1_000, outcome(1, 670, 0, true, 20_000, 1 / 3.0), P99_UNDER_50MS);

        assertThat(step.whyFailed()).isEqualTo("delivered 670/s, under 90% of the 1,000/s owed");
        assertThat(CapacityStep.judge(1_000, outcome(1, 950, 0, true, 20_000, 0.05), P99_UNDER_50MS)
                        .held())
                .as("a few refused, the rest delivered in time")
                .isTrue();
    }

    @Test
    void shouldOweEveryRecipientDeviceItsDelivery() {
        assertThat(CapacityStep.judge(1_000, outcome(4, 3_700, 0, true, 20_000), P99_UNDER_50MS)
                        .held())
                .isTrue();
        assertThat(CapacityStep.judge(1_000, outcome(4, 1_000, 0, true, 20_000), P99_UNDER_50MS)
                        .whyFailed())
                .isEqualTo("delivered 1,000/s, under 90% of the 4,000/s owed");
    }

    @Test
    void shouldNotHoldWhenAnythingWasLostOrTheDrainEndedAtItsLimit() {
        assertThat(CapacityStep.judge(1_000, outcome(1, 1_000, 3, true, 20_000), P99_UNDER_50MS)
                        .whyFailed())
                .isEqualTo("lost 3");
        assertThat(CapacityStep.judge(1_000, outcome(1, 1_000, 0, false, 20_000), P99_UNDER_50MS)
                        .whyFailed())
                .isEqualTo("the drain ended at its limit (0 undelivered at the end)");
    }

    @Test
    void shouldSayWhichObjectiveFailedWithItsMeasuredValue() {
        CapacityStep step = CapacityStep.judge(1_000, outcome(1, 1_000, 0, true, 60_000), P99_UNDER_50MS);

        assertThat(step.whyFailed()).isEqualTo("p99 < 50ms (measured 60.0 ms)");
        assertThat(step.p99Micros()).isBetween(59_900L, 60_100L);
        assertThat(CapacityStep.judge(
                                1_000, outcome(1, 950, 0, true, 20_000), List.of(Slo.parse("deliveredPerSec < 700")))
                        .whyFailed())
                .as("a figure that is not a latency, as capacity's own test uses")
                .isEqualTo("deliveredPerSec < 700 (measured 950)");
    }
}
