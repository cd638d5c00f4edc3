package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.ResultsFixture.writeRun;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.testing.DevTools;
import io.switchboard.core.testing.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report in a real browser, offline: headless Chromium opens {@code report.html} from a {@code file:} URL with the
 * network switched off, and every chart must have drawn each of its series (pixels of the series' colour in the plot
 * area of its canvas), with no request leaving the file, no script error and no console error; a screenshot of the
 * whole page goes to {@code target/report.png}.
 *
 * <p>Needs {@code /usr/bin/chromium}, as the live dashboard's browser test does ({@link HeadlessChromium}).
 */
@Tag("slow")
@Timeout(120)
class ReportBrowserTest {
    private static final Duration DRAW_DEADLINE = Duration.ofSeconds(30);
    /** Pixels of a series' colour that make a drawn line; a 2-pixel line across a chart has hundreds. */
    private static final int MIN_PIXELS = 40;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Per chart: its title, whether uPlot made a canvas, the legend's text, and per series the pixels of the plot
     * area (uPlot's {@code .u-over} lies exactly over it) within a small distance of the series' colour.
     */
    private static final String DRAWN = """
            JSON.stringify([...document.querySelectorAll('figure.chart')].map((figure) => {
              const chart = JSON.parse(figure.querySelector('script[type="application/json"]').textContent);
              const canvas = figure.querySelector('.uplot canvas');
              const over = figure.querySelector('.uplot .u-over');
              const legend = figure.querySelector('.u-legend');
              if (!canvas || !over) return { title: chart.title, canvas: false, legend: '', pixels: [] };
              const c = canvas.getBoundingClientRect(), o = over.getBoundingClientRect();
              const ratio = canvas.width / c.width;
              const image = canvas.getContext('2d').getImageData(
                Math.round((o.left - c.left) * ratio), Math.round((o.top - c.top) * ratio),
                Math.round(o.width * ratio), Math.round(o.height * ratio)).data;
              const rgb = (hex) => {
                let h = hex.slice(1);
                if (h.length === 3) h = [...h].map((d) => d + d).join('');
                return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
              };
              const pixels = chart.series.map((s) => {
                const [r, g, b] = rgb(s.color);
                let n = 0;
                for (let i = 0; i < image.length; i += 4) {
                  if (image[i + 3] > 200 && Math.abs(image[i] - r) + Math.abs(image[i + 1] - g)
                      + Math.abs(image[i + 2] - b) <= 24) n++;
                }
                return { label: s.label, pixels: n };
              });
              return { title: chart.title, canvas: true, legend: legend ? legend.textContent : '', pixels };
            }))""";

    @TempDir
    Path results;

    @TempDir
    Path profile;

    @Test
    void shouldDrawEveryChartOfTheReportOfflineWithoutErrors() throws Exception {
        for (String variant : List.of("sharded", "locked")) {
            Path run = writeRun(results.resolve(variant), "fanout", variant, 20_000, variant.length(), 0);
            // Deliveries catching up with sends: lines apart, so neither hides the other.
            Files.writeString(
                    run.resolve(ResultsReader.TIMESERIES),
                    "second,sent,delivered,p99Micros\n0,20000,4000,800\n1,20000,12000,2500\n2,20000,19000,1500\n"
                            + "3,20000,20000,900\n");
        }
        Path report = results.resolve("report.html");
        Files.writeString(report, new ReportRenderer(results).render(ResultsReader.read(results)));
        Path target = Files.createDirectories(Path.of("target"));

        try (HeadlessChromium chromium =
                        HeadlessChromium.launch(profile, target.resolve("chromium-report.log"), "about:blank");
                DevTools page = chromium.page()) {
            for (String domain : List.of("Runtime", "Log", "Network", "Page")) {
                page.call(domain + ".enable", Map.of());
            }
            page.call(
                    "Network.emulateNetworkConditions",
                    Map.of("offline", true, "latency", 0, "downloadThroughput", -1, "uploadThroughput", -1));
            page.call(
                    "Emulation.setDeviceMetricsOverride",
                    Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false));
            page.call("Page.navigate", Map.of("url", report.toUri().toString()));
            awaitCharts(page);

            JsonNode charts = JSON.readTree(page.evaluate(DRAWN).asText());
            Files.write(target.resolve("report.png"), fullPage(page));

            // the distribution of both variants, and per variant its throughput and p99 over time
            assertThat(charts).hasSize(5);
            for (JsonNode chart : charts) {
                String title = chart.path("title").asText();
                assertThat(chart.path("canvas").asBoolean())
                        .as("%s has a canvas", title)
                        .isTrue();
                assertThat(chart.path("pixels")).as("series of %s", title).isNotEmpty();
                for (JsonNode series : chart.path("pixels")) {
                    assertThat(series.path("pixels").asInt())
                            .as("pixels of %s in %s (screenshot: target/report.png)", series.path("label"), title)
                            .isGreaterThanOrEqualTo(MIN_PIXELS);
                    assertThat(chart.path("legend").asText())
                            .as("legend of %s", title)
                            .contains(series.path("label").asText());
                }
            }
            assertThat(charts.findValuesAsText("title"))
                    .contains(
                            "send→deliver latency by percentile (max is in the cards)",
                            "messages per second",
                            "send→deliver p99 per second");
            assertThat(page.events("Runtime.exceptionThrown"))
                    .as("script errors")
                    .isEmpty();
            assertThat(page.events("Runtime.consoleAPICalled"))
                    .as("console errors and warnings")
                    .noneMatch(e -> List.of("error", "warning", "assert")
                            .contains(e.path("type").asText()));
            assertThat(page.events("Log.entryAdded"))
                    .as("browser errors")
                    .noneMatch(e -> e.path("entry").path("level").asText().equals("error"));
            assertThat(page.events("Network.requestWillBeSent"))
                    .as("requests")
                    .isNotEmpty()
                    .allSatisfy(e -> assertThat(e.path("request").path("url").asText())
                            .as("a request of the report")
                            .startsWith("file:"));
        }
    }

    /** Waits until the page has loaded and each chart's figure holds a canvas, or the deadline passes. */
    private static void awaitCharts(DevTools page) throws Exception {
        String drawn = "document.readyState === 'complete' && document.querySelectorAll('figure.chart').length"
                + " === document.querySelectorAll('figure.chart .uplot canvas').length";
        long end = System.nanoTime() + DRAW_DEADLINE.toNanos();
        while (!page.evaluate(drawn).asBoolean() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        // uPlot draws on the next frame after building the chart: let one pass.
        page.call(
                "Runtime.evaluate",
                Map.of(
                        "expression",
                        "new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))",
                        "awaitPromise",
                        true));
    }

    /** A screenshot of the whole page: the viewport made as tall as the page first. */
    private static byte[] fullPage(DevTools page) throws Exception {
        int height = page.evaluate("document.documentElement.scrollHeight").asInt();
        page.call(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", height, "deviceScaleFactor", 1, "mobile", false));
        return page.screenshot();
    }
}
