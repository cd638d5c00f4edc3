package io.switchboard.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.simulator.report.LineChart.Axis;
import io.switchboard.simulator.report.LineChart.Series;
import io.switchboard.simulator.report.LineChart.Unit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart a report's script draws: its data as JSON in the page, and a note for what is missing. */
class LineChartTest {
    private static final Axis OFFERED = Axis.linear("offered msgs/s", Unit.RATE);
    private static final Axis RATE = Axis.linear("msgs/s", Unit.RATE);
    private static final Axis P99 = Axis.log("p99", Unit.MICROS);
    private static final double[] XS = {10_000, 20_000, 40_000};

    @Test
    void shouldEmbedEverySeriesWithItsAxisAndNoPointWhereAValueIsMissing() throws Exception {
        LineChart chart = new LineChart(
                "capacity",
                OFFERED,
                XS,
                List.of(
                        new Series("delivered/s", "#0072B2", RATE, new double[] {10_000, 19_000, Double.NaN}),
                        new Series("p99", "#888", P99, new double[] {800, 2_000, 90_000}, true)),
                "summary.json");

        JsonNode data = data(chart.html());

        assertThat(data.path("title").asText()).isEqualTo("capacity");
        assertThat(data.path("x").path("unit").asText()).isEqualTo("RATE");
        assertThat(data.path("xs").toString()).isEqualTo("[10000.0,20000.0,40000.0]");
        assertThat(data.path("axes").findValuesAsText("label")).containsExactly("msgs/s", "p99");
        assertThat(data.path("axes").get(1).path("log").asBoolean()).isTrue();
        JsonNode delivered = data.path("series").get(0);
        assertThat(delivered.path("ys").toString()).isEqualTo("[10000.0,19000.0,null]");
        assertThat(delivered.path("axis").asInt()).isZero();
        assertThat(data.path("series").get(1).path("axis").asInt()).isEqualTo(1);
        assertThat(data.path("series").get(1).path("dashed").asBoolean()).isTrue();
    }

    @Test
    void shouldLeaveOutASeriesWithoutDataAndSaySo() throws Exception {
        LineChart chart = new LineChart(
                "p99 by percentile",
                OFFERED,
                XS,
                List.of(
                        new Series("sharded", "#0072B2", P99, new double[] {1, 2, 3}),
                        // nothing a log axis can draw
                        new Series("locked", "#D55E00", P99, new double[] {0, Double.NaN, 0})),
                "send2deliver.hlog");

        String html = chart.html();

        assertThat(data(html).path("series").findValuesAsText("label")).containsExactly("sharded");
        assertThat(html).endsWith("<p class=\"note\">No data in send2deliver.hlog for locked.</p>");
    }

    @Test
    void shouldBeANoteInsteadOfAnEmptyChart() {
        LineChart chart = new LineChart(
                "capacity",
                OFFERED,
                new double[0],
                List.of(new Series("delivered/s", "#0072B2", RATE, new double[0])),
                "summary.json");

        assertThat(chart.html()).isEqualTo("<p class=\"note\">capacity: no data in summary.json.</p>");
    }

    @Test
    void shouldKeepLabelsFromEndingTheScriptElement() throws Exception {
        String label = "</script><script>alert(1)</script>";
        LineChart chart = new LineChart(
                label, OFFERED, XS, List.of(new Series(label, "#000", RATE, new double[] {1, 2, 3})), "x");

        String html = chart.html();

        assertThat(html.split("</script", -1))
                .as("the chart's own end tag only")
                .hasSize(2);
        assertThat(html).doesNotContain("<script>alert").contains("aria-label=\"&lt;/script&gt;");
        assertThat(data(html).path("series").get(0).path("label").asText()).isEqualTo(label);
    }

    @Test
    void shouldRefuseMisalignedSeriesAndAThirdAxis() {
        assertThatThrownBy(() -> new LineChart(
                        "c", OFFERED, XS, List.of(new Series("short", "#000", RATE, new double[] {1})), "x"))
                .hasMessageContaining("short has 1 values for 3 x values");
        assertThatThrownBy(() -> new LineChart(
                        "c",
                        OFFERED,
                        XS,
                        List.of(
                                new Series("a", "#000", RATE, XS),
                                new Series("b", "#000", P99, XS),
                                new Series("c", "#000", Axis.linear("count", Unit.COUNT), XS)),
                        "x"))
                .hasMessageContaining("at most two y axes");
    }

    /** The JSON of the chart's script element, parsed as the page's script does. */
    private static JsonNode data(String html) throws Exception {
        String open = "<script type=\"application/json\">";
        int start = html.indexOf(open) + open.length();
        return new ObjectMapper().readTree(html.substring(start, html.indexOf("</script>", start)));
    }
}
