package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.ResultsFixture.writeRun;
import static org.assertj.core.api.Assertions.assertThat;

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
        // one distribution chart, four bar charts, one throughput chart per run
        assertThat(count(html, "<svg ")).isEqualTo(7);
        assertThat(count(html, "<polyline ")).isEqualTo(2 + 2 * 2);
        assertThat(html).doesNotContain("class=\"bad\"", "FAIL");
    }

    @Test
    void shouldBeSelfContained() throws IOException {
        String html = renderer.render(twoVariants(0));

        assertThat(html.toLowerCase())
                .doesNotContain("<script", "http://", "https://", "<link", "@import", "url(", "<img");
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

        assertThat(html).contains(">default<").doesNotContain("Side by side");
        assertThat(count(html, "<svg ")).isEqualTo(2);
    }

    @Test
    void shouldSayWhatIsMissingInsteadOfDrawingEmptyCharts() throws IOException {
        writeRun(dir, "fanout", "default", 20_000, 1, 0);
        RunReport full = ResultsReader.readRun(dir);
        RunReport bare = new RunReport(full.summary(), List.of(), List.of());

        String html = renderer.render(List.of(bare));

        assertThat(html).contains("No histogram log", "No time series").doesNotContain("<svg ");
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
