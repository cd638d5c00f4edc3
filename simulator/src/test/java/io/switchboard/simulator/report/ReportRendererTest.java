package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.ResultsFixture.writeRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.report.RunReport.Second;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report: self-contained, every figure and variant on it, alarms in red, everything escaped. */
class ReportRendererTest {
    @TempDir
    Path dir;

    private final ReportRenderer renderer = new ReportRenderer();

    private List<RunReport> twoVariants(long lockedLost) throws IOException {
        writeRun(dir.resolve("sharded"), "fanout", "sharded", 20_000, 1, 0);
        writeRun(dir.resolve("locked"), "fanout", "locked", 15_000, 3, lockedLost);
        return ResultsReader.read(dir);
    }

    @Test
    void shouldShowEveryVariantItsFiguresAndTheCharts() throws IOException {
        String html = renderer.render(twoVariants(0));

        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<title>fanout — Does sharding beat striped locks at 20k msgs/s?</title>")
                .contains(">sharded<", ">locked<")
                .contains("JDK 21.0.5", "2 cores", "commit ae5d294", "seed 42")
                .contains("20,000", "15,000", "20,005") // delivered/s and sent/s
                .contains(
                        "<td>500</td>",
                        "<td>1,500</td>",
                        "<td>2,997</td>",
                        "<td>3,000</td>") // p50 of both, p99.9 and max of locked
                .contains("redelivered", "duplicatesInSession", "neverAcked")
                .as("what the server still held at the end is shown, not as an error")
                .contains("<dt>undeliveredAtEnd</dt><dd>2</dd>")
                .contains("PASS", "p99 &lt; 5ms")
                .contains("Side by side", "delivered / s", "send→deliver p99.9")
                .contains("send→deliver latency by percentile", "99.99");
        // one distribution chart, and per run throughput and p99 over time; four bar charts
        assertThat(count(html, "<figure class=\"chart\"")).isEqualTo(1 + 2 * 2);
        assertThat(count(html, "<table class=\"barchart\">")).isEqualTo(4);
        assertThat(html).doesNotContain("class=\"bad\"", "FAIL");
    }

    @Test
    void shouldBeSelfContainedWithTheChartLibraryInlinedOnce() throws IOException {
        String html = renderer.render(twoVariants(0));

        assertThat(html.toLowerCase())
                .doesNotContainPattern("\\s(src|href)\\s*=")
                .doesNotContain("<link", "@import", "url(", "<img", "<iframe");
        assertThat(count(html, "var uPlot=")).as("uPlot's script").isEqualTo(1);
        assertThat(count(html, ".uplot")).as("uPlot's style").isPositive();
        assertThat(count(html, "<script>"))
                .as("uPlot and the script that draws the charts")
                .isEqualTo(2);
    }

    @Test
    void shouldMarkANonZeroLostInRed() throws IOException {
        String html = renderer.render(twoVariants(7));

        assertThat(html).contains("<dt>lost</dt><dd class=\"bad\">7</dd>", "<p class=\"bad\">✗ lost 7</p>");
        assertThat(html).contains("<li class=\"fail\"><span class=\"badge\">FAIL</span>lost == 0");
        assertThat(count(html, "<dd class=\"bad\">")).isEqualTo(1); // the other variant lost nothing
    }

    @Test
    void shouldShowOneRunWithoutTheSideBySideBars() throws IOException {
        writeRun(dir, "fanout", "default", 20_000, 1, 0);

        String html = renderer.render(ResultsReader.read(dir));

        assertThat(html).contains(">default<").doesNotContain("Side by side", "class=\"barchart\"");
        assertThat(count(html, "<figure class=\"chart\"")).isEqualTo(3);
    }

    @Test
    void shouldSayWhatIsMissingInsteadOfDrawingEmptyCharts() throws IOException {
        writeRun(dir, "fanout", "default", 20_000, 1, 0);
        RunReport full = ResultsReader.readRun(dir);
        RunReport bare = new RunReport(full.summary(), List.of(), List.of());

        String html = renderer.render(List.of(bare));

        assertThat(html)
                .contains(
                        "send→deliver latency by percentile (max is in the cards): no data in the histogram log"
                                + " (send2deliver.hlog).",
                        "No data in the time series (timeseries.csv): no charts over time.")
                .doesNotContain("<figure");
    }

    @Test
    void shouldDrawTheSeriesItHasAndNameTheOneMissing() throws IOException {
        List<RunReport> runs = twoVariants(0);
        RunReport locked = runs.get(0);
        RunReport withoutLog = new RunReport(locked.summary(), locked.timeline(), List.of());
        RunReport withoutDeliveries = new RunReport(
                runs.get(1).summary(),
                runs.get(1).timeline().stream()
                        .map(s -> new Second(s.second(), s.sent(), 0, 0))
                        .toList(),
                runs.get(1).send2deliver());

        String html = renderer.render(List.of(withoutLog, withoutDeliveries));

        assertThat(html)
                .contains("No data in the histogram log (send2deliver.hlog) for locked.")
                .contains("send→deliver p99 per second: no data in the time series (timeseries.csv).");
        assertThat(count(html, "<figure class=\"chart\"")).isEqualTo(1 + 2 + 1);
        String distribution = html.substring(html.indexOf("<figure"), html.indexOf("</figure>"));
        assertThat(distribution).contains("\"label\":\"sharded\"").doesNotContain("\"label\":\"locked\"");
    }

    @Test
    void shouldShortenLongBarLabelsFromTheStartKeepingTheFullOneAsTooltip() throws IOException {
        writeRun(dir.resolve("20250101-120000-fanout-sharded"), "fanout", "20250101-120000-fanout/sharded", 1, 1, 0);
        writeRun(dir.resolve("b"), "fanout", "b", 1, 1, 0);

        String html = renderer.render(ResultsReader.read(dir));

        assertThat(html).contains("<th title=\"20250101-120000-fanout/sharded\">…50101-120000-fanout/sharded</th>");
    }

    @Test
    void shouldEscapeEveryStringFromTheResults() throws IOException {
        writeRun(dir, "<b>fan&out</b>", "<img src=x onerror=alert(1)>", 20_000, 1, 0);

        String html = renderer.render(ResultsReader.read(dir));

        assertThat(html)
                .doesNotContain("<img", "<b>fan")
                .contains("&lt;b&gt;fan&amp;out&lt;/b&gt;", "&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void shouldLabelRepeatedVariantsByScenarioAndNumber() throws IOException {
        RunReport a = ResultsReader.readRun(writeRun(dir.resolve("a"), "fanout", "default", 1, 1, 0));
        RunReport b = ResultsReader.readRun(writeRun(dir.resolve("b"), "groups", "default", 1, 1, 0));

        assertThat(ReportRenderer.labels(List.of(a, b))).containsExactly("fanout/default", "groups/default");
        assertThat(ReportRenderer.labels(List.of(a, a))).containsExactly("fanout/default", "fanout/default #2");
        assertThat(renderer.render(List.of(a, b))).contains("<h1>fanout vs groups</h1>");
    }

    private static int count(String text, String part) {
        return (int)
                Pattern.compile(Pattern.quote(part)).matcher(text).results().count();
    }
}
