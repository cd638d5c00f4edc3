package io.switchboard.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.config.Routing;
import io.switchboard.core.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (the Debian package's {@code /usr/bin/prometheus}, started by the test as a child process with its
 * own configuration, storage and port) scrapes a real server every second: the exposition parses, the counters arrive,
 * and every dashboard query evaluates. Needs the package installed; fails, not skips, without it.
 */
@Tag("slow")
@Timeout(120)
class PrometheusScrapeTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final int MESSAGES = 20;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path temp;

    private static TestServer server;
    private static Process prometheus;
    private static Path log;
    private static URI api;

    @BeforeAll
    static void startServerAndPrometheus() throws IOException {
        if (!Files.isExecutable(PROMETHEUS)) {
            fail(PROMETHEUS + " is missing: install the Debian package `prometheus`"
                    + " (apt-get install -y --no-install-recommends prometheus); CI installs it");
        }
        server = TestServer.start(Routing.SHARDED, Files.createDirectories(temp.resolve("data")));
        Path config = temp.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: switchboard
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(server.port()));
        int port = freePort();
        log = temp.resolve("prometheus.log");
        prometheus = new ProcessBuilder(
                        PROMETHEUS.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + temp.resolve("tsdb"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        api = URI.create("http://127.0.0.1:" + port + "/api/v1/");
    }

    @AfterAll
    static void stopPrometheusAndServer() throws InterruptedException {
        try {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String prometheusLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Polls until Prometheus answers as asked; stops at once, with its log, if the process exits. */
    private static ConditionFactory awaitPrometheus() {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .failFast(
                        "Prometheus exited",
                        () -> assertThat(prometheus.isAlive())
                                .as("Prometheus is running; its log:%n%s", prometheusLog())
                                .isTrue());
    }

    /** {@code GET /api/v1/query}: the HTTP status and the JSON body. */
    private static HttpResponse<String> query(String promql) throws IOException, InterruptedException {
        URI uri = api.resolve("query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return HTTP.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of a query that yields one sample. */
    private static double singleValue(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = query(promql);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode result = JSON.readTree(response.body()).path("data").path("result");
        assertThat(result).as("samples of %s", promql).hasSize(1);
        return Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    @Test
    void shouldReportTheServersAcceptedMessagesThroughTheQueryApi() {
        DashboardQueriesTest.exchange(server, MESSAGES);

        awaitPrometheus()
                .untilAsserted(() -> assertThat(singleValue("sum(switchboard_messages_accepted_total)"))
                        .isEqualTo(MESSAGES));
    }

    @Test
    void shouldEvaluateEveryDashboardQueryWithoutError() throws Exception {
        awaitPrometheus()
                .untilAsserted(
                        () -> assertThat(singleValue("up{job=\"switchboard\"}")).isEqualTo(1));

        List<String> errors = new ArrayList<>();
        for (DashboardQueriesTest.Query query : DashboardQueriesTest.panelQueries()) {
            String promql = query.expr()
                    .replaceAll("\\$__(rate_interval|interval|range)\\b", "1m")
                    .replace("$routing", ".*");
            HttpResponse<String> response = query(promql);
            JsonNode body = JSON.readTree(response.body());
            if (response.statusCode() != 200 || !body.path("status").asText().equals("success")) {
                errors.add(query + "\n  → " + response.statusCode() + " "
                        + body.path("error").asText(response.body()));
            }
        }
        assertThat(errors).as("dashboard queries Prometheus refused").isEmpty();
    }
}
