package io.switchboard.simulator.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.profile.MeasuredWindow;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fan-out measurement end to end, shortened: what `switchboard fanout` reports comes from a run like this. Its
 * figures (latency, heap and journal bytes per message, how they differ between fan-outs) belong to the benchmark's
 * report; this checks that a run delivers everything and reports them.
 */
@Timeout(180)
class FanoutBenchmarkTest {
    private static FanoutSpec spec() {
        return new FanoutSpec(5, 400, 64, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(10), 4000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"single-copy", "per-member"})
    void shouldDeliverEveryGroupMessageToEveryMemberAndWeighTheStoredOnes(String fanout) throws Exception {
        FanoutResult result =
                FanoutBenchmark.run(fanout, Map.of("router.fanout", fanout), spec(), MeasuredWindow.Listener.NONE);

        assertThat(result.errors()).as(result.firstError()).isZero();
        assertThat(result.acked()).isEqualTo(result.sent()).isPositive();
        assertThat(result.delivered()).isEqualTo(4 * result.acked());
        assertThat(result.lost()).isZero();
        assertThat(result.sendToDeliver().getTotalCount()).isPositive();
        assertThat(result.storedMessages()).isEqualTo(1000);
        assertThat(result.heapBytesPerMessage()).isPositive();
        assertThat(result.journalBytesPerMessage()).isPositive();
    }
}
