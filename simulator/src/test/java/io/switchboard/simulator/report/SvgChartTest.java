package io.switchboard.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.switchboard.simulator.report.SvgChart.Axis;
import io.switchboard.simulator.report.SvgChart.Tick;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Axis scales and tick labels. */
class SvgChartTest {
    @Test
    void shouldSpaceNinesEquallyUpTo9999() {
        Axis axis = Axis.nines("percentile", 99.99);

        assertThat(axis.ticks()).extracting(Tick::label).containsExactly("0", "50", "90", "99", "99.9", "99.99");
        assertThat(axis.fraction(0)).isZero();
        assertThat(axis.fraction(90)).isCloseTo(0.25, offset(1e-9));
        assertThat(axis.fraction(99.9)).isCloseTo(0.75, offset(1e-9));
        assertThat(axis.fraction(100)).isCloseTo(1, offset(1e-9));
    }

    @Test
    void shouldSpanPowersOfTenOnALogAxis() {
        Axis axis = Axis.log("µs", 120, 45_000, Figures::micros);

        assertThat(axis.ticks()).extracting(Tick::label).containsExactly("100 µs", "1 ms", "10 ms", "100 ms");
        assertThat(axis.fraction(1_000)).isCloseTo(1 / 3.0, offset(1e-9));
    }

    @Test
    void shouldRoundALinearAxisUp() {
        Axis axis = Axis.linear("msgs/s", 0, 19_300, Figures::compact);

        assertThat(axis.max()).isEqualTo(20_000);
        assertThat(axis.ticks()).extracting(Tick::label).containsExactly("0", "5k", "10k", "15k", "20k");
    }

    @Test
    void shouldKeepTicksAWholeStepApartWhenAsked() {
        Axis axis = Axis.linear("second", 0, 2, 1, Figures::compact);

        assertThat(axis.ticks()).extracting(Tick::label).containsExactly("0", "1", "2");
    }

    @Test
    void shouldWriteLabelsAndValuesOfBars() {
        String svg = SvgChart.bars(
                "p99",
                List.of("a<b", "sharded"),
                List.of("#000", "#111"),
                new double[] {1, Double.NaN},
                Figures::format);

        assertThat(svg).contains("a&lt;b", "sharded", ">1<", ">–<");
    }

    @Test
    void shouldShortenLongBarLabelsFromTheStartKeepingTheFullOneAsTooltip() {
        String label = "20250101-120000-fanout/sharded";
        String svg = SvgChart.bars("p99", List.of(label), List.of("#000"), new double[] {1}, Figures::format);

        assertThat(svg).contains("<title>" + label + "</title>…50101-120000-fanout/sharded<");
    }
}
