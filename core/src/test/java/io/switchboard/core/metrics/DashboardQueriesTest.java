package io.switchboard.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.config.Routing;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Grafana dashboards in {@code dashboards/} query only metrics a real server exposes: renaming a metric without
 * updating the dashboards fails here. Ring metrics exist under sharded routing only; every other metric a dashboard
 * names must exist under both routings.
 */
@Timeout(60)
class DashboardQueriesTest {
    /** The dashboards folder, relative to the core module, where Maven runs the tests. */
    static final Path DASHBOARDS = Path.of("..", "dashboards");

    private static final Pattern METRIC = Pattern.compile("\\b(?:switchboard|jvm|process|system)_[a-z0-9_]+");
    private static final String RING_PREFIX = "switchboard_ring_";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    /** A PromQL query of a dashboard and where it is used, for failure messages. */
    record Query(String dashboard, String panel, String expr) {
        @Override
        public String toString() {
            return dashboard + " › " + panel + ": " + expr;
        }
    }

    /** Every {@code *.json} file of the dashboards folder; there is at least one. */
    static List<Path> dashboards() {
        assertThat(DASHBOARDS).as("dashboards folder (tests run in core/)").isDirectory();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            List<Path> dashboards = files.filter(
                            file -> file.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList();
            assertThat(dashboards).as("dashboards in %s", DASHBOARDS).isNotEmpty();
            return dashboards;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path dashboard) {
        try {
            return JSON.readTree(dashboard.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(dashboard.toString(), e);
        }
    }

    /** Every panel query ({@code expr}, rows' nested panels included) of every dashboard. */
    static List<Query> panelQueries() {
        List<Query> queries = new ArrayList<>();
        for (Path dashboard : dashboards()) {
            collectExprs(dashboard.getFileName().toString(), "(dashboard)", read(dashboard), queries);
        }
        assertThat(queries).as("panel queries in %s", DASHBOARDS).isNotEmpty();
        return queries;
    }

    private static void collectExprs(String dashboard, String panel, JsonNode node, List<Query> into) {
        if (node.isArray()) {
            node.forEach(element -> collectExprs(dashboard, panel, element, into));
        } else if (node.isObject()) {
            String title = node.path("title").isTextual() ? node.get("title").asText() : panel;
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                    into.add(new Query(dashboard, title, field.getValue().asText()));
                } else {
                    collectExprs(dashboard, title, field.getValue(), into);
                }
            });
        }
    }

    /** Queries of the dashboards' query variables, such as {@code label_values(metric, routing)}. */
    static List<Query> variableQueries() {
        List<Query> queries = new ArrayList<>();
        for (Path dashboard : dashboards()) {
            for (JsonNode variable : read(dashboard).path("templating").path("list")) {
                if (variable.path("type").asText().equals("query")) {
                    JsonNode query = variable.path("query");
                    String text = query.isTextual()
                            ? query.asText()
                            : query.path("query").asText();
                    queries.add(new Query(
                            dashboard.getFileName().toString(),
                            "variable " + variable.path("name").asText(),
                            text));
                }
            }
        }
        return queries;
    }

    /** Metric names each query references, by name. */
    static Map<String, List<Query>> referencedMetrics(List<Query> queries) {
        Map<String, List<Query>> names = new TreeMap<>();
        for (Query query : queries) {
            Matcher matcher = METRIC.matcher(query.expr());
            while (matcher.find()) {
                names.computeIfAbsent(matcher.group(), name -> new ArrayList<>())
                        .add(query);
            }
        }
        return names;
    }

    /** The names of the samples of a Prometheus text exposition ({@code _bucket}, {@code _count} and so on). */
    static Set<String> sampleNames(String exposition) {
        return exposition
                .lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Two users exchange messages with acks, recvs and delivered receipts. */
    static void exchange(TestServer server, int messages) {
        String alice = server.register(42, 1);
        String bob = server.register(99, 1);
        try (TestClient sender = server.session(42, 1, alice);
                TestClient recipient = server.session(99, 1, bob)) {
            for (int id = 1; id <= messages; id++) {
                sender.send(new Frame()
                        .reset(FrameType.SEND)
                        .id(id)
                        .toUser(99)
                        .addEnvelope(1, EnvelopeType.MSG, new byte[] {1, 2, 3}));
                sender.expect(FrameType.ACK);
                recipient.send(new Frame()
                        .reset(FrameType.RECV)
                        .seq(recipient.expect(FrameType.MSG).seq()));
                sender.expect(FrameType.RECEIPT);
            }
        }
    }

    static String scrape(TestServer server) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                .timeout(TestClient.TIMEOUT)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
        return response.body();
    }

    @ParameterizedTest
    // The server's routings: ceiling is the simulator's measuring stick, which a server started on its own refuses.
    @EnumSource(value = Routing.class, names = "CEILING", mode = EnumSource.Mode.EXCLUDE)
    void shouldExposeEveryMetricTheDashboardsQuery(Routing routing) {
        List<Query> queries = new ArrayList<>(panelQueries());
        queries.addAll(variableQueries());
        Map<String, List<Query>> referenced = referencedMetrics(queries);
        assertThat(referenced).containsKey("switchboard_messages_accepted_total");
        Set<String> expected = referenced.keySet().stream()
                .filter(name -> routing == Routing.SHARDED || !name.startsWith(RING_PREFIX))
                .collect(Collectors.toCollection(TreeSet::new));

        try (TestServer server = TestServer.start(routing, data)) {
            exchange(server, 3);
            // Micrometer exposes jvm_gc_pause_seconds from the first collection after the server bound its metrics.
            System.gc();
            await().atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        Set<String> missing = new TreeSet<>(expected);
                        missing.removeAll(sampleNames(scrape(server)));
                        assertThat(missing)
                                .as(
                                        "metrics the dashboards query that a %s server does not expose; used by:%n%s",
                                        routing.configName(),
                                        missing.stream()
                                                .flatMap(name -> referenced.get(name).stream())
                                                .map(Query::toString)
                                                .distinct()
                                                .collect(Collectors.joining("\n")))
                                .isEmpty();
                    });
        }
    }

    @Test
    void shouldLetTheUserPickThePrometheusDataSourceForEveryPanel() {
        for (Path dashboard : dashboards()) {
            JsonNode root = read(dashboard);
            List<String> datasourceVariables = new ArrayList<>();
            root.path("templating").path("list").forEach(variable -> {
                if (variable.path("type").asText().equals("datasource")
                        && variable.path("query").asText().equals("prometheus")) {
                    datasourceVariables.add("${" + variable.path("name").asText() + "}");
                }
            });
            assertThat(datasourceVariables)
                    .as("%s: a Prometheus data source variable", dashboard)
                    .hasSize(1);
            List<String> panelSources = new ArrayList<>();
            root.path("panels").forEach(panel -> collectPanelSources(panel, panelSources));
            assertThat(panelSources)
                    .as("%s: data source of every panel", dashboard)
                    .isNotEmpty()
                    .containsOnly(datasourceVariables.get(0));
        }
    }

    private static void collectPanelSources(JsonNode panel, List<String> into) {
        if (panel.path("type").asText().equals("row")) {
            panel.path("panels").forEach(nested -> collectPanelSources(nested, into));
            return;
        }
        into.add(panel.path("datasource").path("uid").asText("(none)"));
        panel.path("targets")
                .forEach(target -> into.add(target.path("datasource")
                        .path("uid")
                        .asText(panel.path("datasource").path("uid").asText("(none)"))));
    }

    @Test
    void shouldFilterEveryPanelQueryByTheRoutingVariable() {
        for (Path dashboard : dashboards()) {
            assertThat(read(dashboard).path("templating").path("list").findValuesAsText("name"))
                    .as("%s: template variables", dashboard)
                    .contains("routing");
        }
        assertThat(panelQueries())
                .allSatisfy(
                        query -> assertThat(query.expr()).as(query.toString()).contains("routing=~\"$routing\""));
    }
}
