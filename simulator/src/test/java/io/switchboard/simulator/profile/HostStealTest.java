package io.switchboard.simulator.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The host's share of the machine's CPU time between two readings of {@code /proc/stat}. */
class HostStealTest {
    @Test
    void shouldGiveTheStealOfAllTheTimeThatPassed() {
        long[] from = {100, 0, 50, 800, 10, 0, 5, 20};
        long[] to = {300, 0, 100, 1_400, 10, 0, 5, 120};

        assertThat(HostSteal.share(from, to))
                .as("100 of 200 + 50 + 600 + 100 jiffies")
                .isEqualTo(100 / 950.0);
    }

    @Test
    void shouldSayItDoesNotKnowRatherThanGuess() {
        long[] now = {1, 2, 3, 4, 5, 6, 7, 8};

        assertThat(HostSteal.share(null, now)).isNaN();
        assertThat(HostSteal.share(now, null)).isNaN();
        assertThat(HostSteal.share(now, now)).as("no time passed").isNaN();
    }

    @Test
    void shouldReadThisLinuxMachinesCounters() {
        long[] counters = HostSteal.read();

        assertThat(counters).hasSize(8);
        assertThat(counters[0] + counters[3])
                .as("user and idle time since boot")
                .isPositive();
    }
}
