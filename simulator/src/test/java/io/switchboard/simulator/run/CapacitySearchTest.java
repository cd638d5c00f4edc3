package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The capacity search against a fake server that holds up to a known rate and no further. */
@Timeout(10)
class CapacitySearchTest {
    /** Holds at every rate up to {@code threshold}; records each rate asked for. */
    private static final class Threshold implements CapacitySearch.Steps {
        final int threshold;
        final List<Integer> rates = new ArrayList<>();

        Threshold(int threshold) {
            this.threshold = threshold;
        }

        @Override
        public CapacityStep run(int rate) {
            rates.add(rate);
            return CapacityStep.of(rate, rate <= threshold);
        }
    }

    private static final CapacitySearch.Listener QUIET = (number, step, left) -> {};

    @ParameterizedTest
    @ValueSource(ints = {1_000, 1_499, 37_123, 93_750, 1_999_999})
    void shouldConvergeWithinTheResolutionBelowTheThresholdWithoutRunningARateTwice(int threshold) throws Exception {
        Threshold server = new Threshold(threshold);
        CapacitySearch.Result result = new CapacitySearch(1_000, 2_000_000, 0.05).search(server, QUIET);

        assertThat(result.found()).isTrue();
        int capacity = result.capacity().offered();
        assertThat(capacity).isLessThanOrEqualTo(threshold);
        int lowestFailed = result.steps().stream()
                .filter(step -> !step.held())
                .mapToInt(CapacityStep::offered)
                .min()
                .orElseThrow();
        assertThat(lowestFailed).isGreaterThan(threshold);
        assertThat(lowestFailed - capacity)
                .as("the first failed rate is within 5% of the capacity")
                .isLessThanOrEqualTo((int) Math.ceil(0.05 * capacity));
        assertThat(server.rates).doesNotHaveDuplicates();
        assertThat(result.steps()).extracting(CapacityStep::offered).containsExactlyElementsOf(server.rates);
    }

    @Test
    void shouldDoubleFromTheStartThenBisectAndStopAtTheResolution() throws Exception {
        Threshold server = new Threshold(5_000);
        List<Integer> stepsLeft = new ArrayList<>();
        CapacitySearch.Result result =
                new CapacitySearch(1_000, 1_000_000, 0.25).search(server, (number, step, left) -> stepsLeft.add(left));

        // 1k, 2k, 4k hold, 8k fails; 6k fails (gap 2k > 25% of 4k); 5k holds (gap 1k <= 25% of 5k): done.
        assertThat(server.rates).containsExactly(1_000, 2_000, 4_000, 8_000, 6_000, 5_000);
        assertThat(result.capacity().offered()).isEqualTo(5_000);
        assertThat(stepsLeft).endsWith(0);
    }

    @Test
    void shouldFindNoCapacityWhenEvenTheStartFails() throws Exception {
        Threshold server = new Threshold(500);
        CapacitySearch.Result result = new CapacitySearch(1_000, 1_000_000, 0.05).search(server, QUIET);

        assertThat(result.found()).isFalse();
        assertThat(result.capacity()).isNull();
        assertThat(server.rates).containsExactly(1_000);
    }

    @Test
    void shouldStopAtTheMaximumAndSayTheCapacityIsHigher() throws Exception {
        Threshold server = new Threshold(Integer.MAX_VALUE);
        CapacitySearch.Result result = new CapacitySearch(1_000, 5_000, 0.05).search(server, QUIET);

        assertThat(server.rates).containsExactly(1_000, 2_000, 4_000, 5_000);
        assertThat(result.heldAtMax()).isTrue();
        assertThat(result.found()).isFalse();
        assertThat(result.capacity().offered()).isEqualTo(5_000);
    }

    @Test
    void shouldStopWhenNoWholeRateLiesBetweenHeldAndFailed() throws Exception {
        Threshold server = new Threshold(2);
        CapacitySearch.Result result = new CapacitySearch(1, 100, 0.01).search(server, QUIET);

        assertThat(server.rates).containsExactly(1, 2, 4, 3);
        assertThat(result.capacity().offered()).isEqualTo(2);
    }

    @Test
    void shouldRefuseAResolutionOutsideZeroToOne() {
        assertThatThrownBy(() -> new CapacitySearch(1_000, 2_000, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CapacitySearch(1_000, 500, 0.05)).isInstanceOf(IllegalArgumentException.class);
    }
}
