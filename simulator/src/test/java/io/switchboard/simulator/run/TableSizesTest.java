package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.scenario.Scenario;
import io.switchboard.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The clients' and the oracle's tables are sized before a run for every message its warm-up and measured window send,
 * so that none doubles on the clients' thread inside the window: Poisson arrivals send more than their mean in about
 * every other run, and tables of the mean's size doubled then.
 */
class TableSizesTest {
    /** Up to the ceiling's own capacity on this machine: with tables of at most 8M, 1,000,000 msgs/s doubled them. */
    @ParameterizedTest
    @ValueSource(ints = {500_000, 1_200_000})
    void shouldHoldEveryArrivalOfTheWarmUpAndWindowWhateverTheSeed(int rate) throws Exception {
        Scenario scenario = ceiling(Map.of("messages.rate", Integer.toString(rate)));

        long most = mostArrivals(scenario);

        assertThat(most).as("the most arrivals of eight seeds").isGreaterThan(rate * 13L * 998 / 1000);
        assertThat(TableSizes.expected(scenario)).isGreaterThan((int) most);
        assertThat(TableSizes.offered(scenario)).isGreaterThan(most);
    }

    /** A diurnal swing's first quarter offers up to 1 + 2/π times the rate: latencies past the 20% once kept were lost. */
    @Test
    void shouldCountTheArrivalsOfTheRatesCurve() throws Exception {
        Scenario scenario =
                ceiling(Map.of("messages.rate", "100000", "curve.diurnalAmplitude", "1", "curve.diurnalPeriod", "52s"));

        long most = mostArrivals(scenario);

        assertThat(most).as("a quarter of a swing over the 13 s").isGreaterThan(2_100_000);
        assertThat(TableSizes.offered(scenario)).isGreaterThan(most).isLessThan(most * 11 / 10);
    }

    private static Scenario ceiling(Map<String, String> overrides) throws Exception {
        return ScenarioLoader.load(Path.of("../scenarios/throughput-ceiling.yaml"), overrides);
    }

    /** The most arrivals the warm-up and the window draw, of eight seeds. */
    private static long mostArrivals(Scenario scenario) {
        long windowNs = (scenario.warmup().toMillis() + scenario.duration().toMillis()) * 1_000_000L;
        long most = 0;
        for (long seed = 1; seed <= 8; seed++) {
            Arrivals arrivals = new Arrivals(seed, scenario.users() - 1, scenario.messages(), scenario.curve(), 0);
            long count = 0;
            for (long at = 0; at < windowNs; at += arrivals.gapNs) {
                arrivals.next(scenario.users(), at);
                count++;
            }
            most = Math.max(most, count);
        }
        return most;
    }
}
