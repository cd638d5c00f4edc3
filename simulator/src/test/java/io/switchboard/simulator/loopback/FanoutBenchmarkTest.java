package io.switchboard.simulator.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fan-out measurement end to end, shortened: what `switchboard fanout` reports comes from a run like this. */
@Timeout(180)
class FanoutBenchmarkTest {
    private static FanoutSpec spec() {
        return new FanoutSpec(5, 400, 64, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(10), 4000);
    }

    @Test
    void shouldDeliverEveryGroupMessageToEveryMemberAndWeighTheStoredOnes() throws Exception {
        FanoutResult result = FanoutBenchmark.run("single-copy", Map.of("router.fanout", "single-copy"), spec());

        assertThat(result.errors()).as(result.firstError()).isZero();
        assertThat(result.acked()).isEqualTo(result.sent()).isPositive();
        assertThat(result.delivered()).isEqualTo(4 * result.acked());
        assertThat(result.lost()).isZero();
        assertThat(result.sendToDeliver().getTotalCount()).isPositive();
        assertThat(result.storedMessages()).isEqualTo(1000);
        assertThat(result.heapBytesPerMessage()).isPositive();
        assertThat(result.journalBytesPerMessage()).isPositive();
    }

    @Test
    void shouldWeighACopyPerMemberDeviceOnDiskForPerMemberFanOut() throws Exception {
        FanoutResult singleCopy = FanoutBenchmark.run("single-copy", Map.of("router.fanout", "single-copy"), spec());
        FanoutResult perMember = FanoutBenchmark.run("per-member", Map.of("router.fanout", "per-member"), spec());

        // Four members, 64-byte bodies: per-member journals four more bodies per message (disk blocks of 4 KiB
        // blur the count a little).
        assertThat(perMember.journalBytesPerMessage() - singleCopy.journalBytesPerMessage())
                .isBetween(3L * 64, 6L * 64);
        assertThat(perMember.lost()).isZero();
    }
}
