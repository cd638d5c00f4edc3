package io.switchboard.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.config.Routing;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.DevTools;
import io.switchboard.core.testing.HeadlessChromium;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live dashboard in a real browser: a server with traffic flowing, headless Chromium on {@code /dashboard}, and
 * checks that every chart drew samples from the event stream, plus a screenshot ({@code target/dashboard.png}).
 *
 * <p>Needs the Debian package {@code chromium} ({@code /usr/bin/chromium}); without it the test fails rather than
 * skips, so CI cannot pass by silently not running it ({@link HeadlessChromium}).
 *
 * <p>Why DevTools instead of {@code --dump-dom}/{@code --screenshot}: those act when the page's load event fires,
 * which is before the first snapshot arrives ({@code --timeout} is only an upper bound on that wait, not a delay).
 * {@code --virtual-time-budget} would delay them, but virtual time does not advance while a network fetch is pending,
 * and an event stream is a fetch that never ends: Chromium 156 then hangs until killed. So the test starts Chromium
 * with {@code --remote-debugging-port=0} and, over the DevTools protocol, waits in real time until the charts hold
 * data, reads the serialized DOM (what {@code --dump-dom} prints) and captures the screenshot, from one browser.
 */
@Tag("slow")
@Timeout(120)
class LiveDashboardBrowserTest {
    private static final List<String> CHART_IDS =
            List.of("chart-throughput", "chart-latency", "chart-connections", "chart-queue");
    /** Samples every chart must hold; throughput needs one more snapshot than that, rates being differences. */
    private static final int MIN_POINTS = 2;
    /** Samples the test waits for before looking, so the screenshot shows lines rather than dots. */
    private static final int WANTED_POINTS = 6;

    private static final Duration PAGE_DEADLINE = Duration.ofSeconds(45);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @TempDir
    Path profile;

    @Test
    void shouldDrawEveryChartFromTheLiveEventStream() throws Exception {
        Path target = Files.createDirectories(Path.of("target"));
        try (TestServer server = TestServer.start(Routing.SHARDED, data);
                Traffic traffic = Traffic.start(server);
                HeadlessChromium chromium = HeadlessChromium.launch(
                        profile, target.resolve("chromium.log"), "http://127.0.0.1:" + server.port() + "/dashboard");
                DevTools page = chromium.page()) {
            // --window-size sizes the window, not the page: with Chromium 156 the viewport came out 1280x757.
            // Set the viewport itself to 1280x900, which is what the screenshot shows.
            page.call(
                    "Emulation.setDeviceMetricsOverride",
                    Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false));
            int fewest = awaitFewestPoints(page, WANTED_POINTS, PAGE_DEADLINE);

            String dom = page.evaluate("'<!DOCTYPE html>\\n' + document.documentElement.outerHTML")
                    .asText();
            Files.writeString(target.resolve("dashboard-dom.html"), dom);
            assertThat(fewest)
                    .as("fewest samples in a chart (page in target/dashboard-dom.html)")
                    .isGreaterThanOrEqualTo(MIN_POINTS);
            for (String id : CHART_IDS) {
                String chart = element(dom, id);
                assertThat(attribute(chart, "data-points"))
                        .as("data-points of #%s", id)
                        .isNotNull()
                        .satisfies(
                                points -> assertThat(Integer.parseInt(points)).isGreaterThanOrEqualTo(MIN_POINTS));
                assertThat(chart)
                        .as("#%s holds a uPlot chart", id)
                        .contains("class=\"uplot")
                        .contains("<canvas");
            }
            assertThat(dom).contains("data-state=\"live\"").contains("id=\"routing\">sharded<");

            byte[] png = page.screenshot();
            Path screenshot = target.resolve("dashboard.png");
            Files.write(screenshot, png);
            assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
            assertThat(Files.size(screenshot)).as("size of %s", screenshot).isGreaterThan(10 * 1024);
            assertThat(traffic.messages()).isPositive();
        }
    }

    /** The markup from the tag with this id up to the next chart container: the chart and what uPlot put in it. */
    private static String element(String dom, String id) {
        int start = dom.indexOf("id=\"" + id + "\"");
        assertThat(start).as("#%s in the DOM", id).isNotNegative();
        int tagStart = dom.lastIndexOf('<', start);
        int next = dom.indexOf("class=\"chart\"", dom.indexOf('>', start));
        return dom.substring(tagStart, next < 0 ? dom.length() : next);
    }

    private static String attribute(String element, String name) {
        Matcher matcher = Pattern.compile("^<[^>]*\\s" + Pattern.quote(name) + "=\"([^\"]*)\"")
                .matcher(element);
        return matcher.find() ? matcher.group(1) : null;
    }

    /**
     * A sender/recipient pair exchanging messages in a loop (send, ack, msg, recv, receipt) until closed; every 20th
     * message also goes to a registered device that never connects, so the queue depth chart has a level to show.
     */
    private static final class Traffic implements AutoCloseable {
        private static final byte[] BODY = {1, 2, 3};

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final AtomicLong messages = new AtomicLong();
        private final Thread thread;

        private Traffic(TestServer server) {
            String alice = server.register(42, 1);
            String bob = server.register(99, 1);
            server.register(7, 1); // offline: its messages stay queued
            thread = new Thread(() -> run(server, alice, bob), "dashboard-traffic");
            thread.setDaemon(true);
            thread.start();
        }

        static Traffic start(TestServer server) {
            return new Traffic(server);
        }

        private void run(TestServer server, String alice, String bob) {
            try (TestClient sender = server.session(42, 1, alice);
                    TestClient recipient = server.session(99, 1, bob)) {
                for (long id = 1; running.get(); id++) {
                    sender.send(message(id, 99));
                    sender.expect(FrameType.ACK);
                    recipient.send(new Frame()
                            .reset(FrameType.RECV)
                            .seq(recipient.expect(FrameType.MSG).seq()));
                    sender.expect(FrameType.RECEIPT);
                    if (id % 20 == 0) {
                        sender.send(message(++id, 7));
                        sender.expect(FrameType.ACK);
                    }
                    messages.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        private static Frame message(long id, long to) {
            return new Frame().reset(FrameType.SEND).id(id).toUser(to).addEnvelope(1, EnvelopeType.MSG, BODY);
        }

        long messages() {
            return messages.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(TestClient.TIMEOUT.toMillis());
            assertThat(failure.get()).as("traffic failed").isNull();
        }
    }

    /**
     * Polls until every chart's data-points is at least {@code wanted} (one snapshot a second, so this waits in real
     * time) or the deadline passes; returns the fewest seen last, for the caller to judge.
     */
    private static int awaitFewestPoints(DevTools page, int wanted, Duration deadline) throws Exception {
        String ids = JSON.writeValueAsString(CHART_IDS);
        String fewest = "Math.min(..." + ids + ".map(id => { const c = document.getElementById(id);"
                + " return c ? Number(c.getAttribute('data-points')) || 0 : 0; }))";
        long end = System.nanoTime() + deadline.toNanos();
        int points;
        do {
            points = page.evaluate(fewest).asInt();
            if (points >= wanted) {
                break;
            }
            Thread.sleep(250);
        } while (System.nanoTime() < end);
        return points;
    }
}
