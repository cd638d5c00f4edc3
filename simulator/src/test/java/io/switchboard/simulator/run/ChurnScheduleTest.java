package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.switchboard.simulator.scenario.Scenario.Churn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The churn schedule is a function of the seed alone, and has the online share and session length it was given. */
class ChurnScheduleTest {
    private static final Churn CHURN = new Churn(0.1, Duration.ofMinutes(5));

    /** Plays the schedule for {@code events} events, alternating each user's login and logout, as a run would. */
    private static List<Long> play(long seed, int users, int events) {
        ChurnSchedule schedule = new ChurnSchedule(seed, users, CHURN);
        boolean[] online = new boolean[users];
        List<Long> played = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            long atMs = schedule.nextDeadlineMs();
            int user = schedule.poll();
            played.add(atMs << ChurnSchedule.SLOT_BITS | user);
            online[user] = !online[user];
            schedule.add(online[user] ? schedule.afterSession(user, atMs) : schedule.afterGap(user, atMs), user);
        }
        return played;
    }

    @Test
    void shouldGiveTheSameScheduleForTheSameSeed() {
        assertThat(play(42, 10_000, 50_000)).isEqualTo(play(42, 10_000, 50_000));
    }

    @Test
    void shouldGiveAnotherScheduleForAnotherSeed() {
        assertThat(play(42, 10_000, 1_000)).isNotEqualTo(play(43, 10_000, 1_000));
    }

    @Test
    void shouldComeDueInDeadlineOrder() {
        List<Long> played = play(7, 1_000, 20_000);
        for (int i = 1; i < played.size(); i++) {
            assertThat(played.get(i) >>> ChurnSchedule.SLOT_BITS)
                    .isGreaterThanOrEqualTo(played.get(i - 1) >>> ChurnSchedule.SLOT_BITS);
        }
    }

    @Test
    void shouldStartWithTheOnlineShareOnlineAndDrawSessionsWithTheMeanLength() {
        int users = 100_000;
        ChurnSchedule schedule = new ChurnSchedule(1, users, CHURN);
        assertThat(schedule.initiallyOnline() / (double) users).isCloseTo(0.1, within(0.005));
        double sessions = 0;
        double gaps = 0;
        for (int user = 0; user < users; user++) {
            sessions += schedule.afterSession(user, 1_000) - 1_000;
            gaps += schedule.afterGap(user, 1_000) - 1_000;
        }
        assertThat(sessions / users).isCloseTo(300_000, within(6_000.0));
        assertThat(gaps / users).isCloseTo(2_700_000, within(54_000.0));
    }

    @Test
    void shouldKeepEveryoneOnlineWithoutChurn() {
        ChurnSchedule schedule = new ChurnSchedule(1, 1_000, new Churn(1, Duration.ofMinutes(5)));
        assertThat(schedule.initiallyOnline()).isEqualTo(1_000);
        assertThat(schedule.churns()).isFalse();
        assertThat(schedule.due(0)).isTrue();
    }
}
