package io.switchboard.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.Routing;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code GET /metrics} and the dashboard feed of a real server after real traffic. */
@Timeout(60)
class MetricsEndpointTest {
    @TempDir
    Path data;

    private static void exchange(TestServer server, int messages) {
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

    private static HttpResponse<String> get(TestServer server, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of every sample of a metric family (any labels). */
    static double sum(String exposition, String name) {
        return exposition
                .lines()
                .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @ParameterizedTest
    // The server's routings: ceiling is the simulator's measuring stick, which a server started on its own refuses.
    @EnumSource(value = Routing.class, names = "CEILING", mode = EnumSource.Mode.EXCLUDE)
    void shouldExposeMessageCountersLatencyRingsAndJvmAfterTraffic(Routing routing) throws Exception {
        try (TestServer server = TestServer.start(routing, data)) {
            exchange(server, 5);
            HttpResponse<String> response = get(server, "/metrics");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
            String text = response.body();
            assertThat(sum(text, "switchboard_messages_accepted_total")).isEqualTo(5);
            assertThat(sum(text, "switchboard_messages_delivered_total")).isEqualTo(5);
            assertThat(sum(text, "switchboard_messages_acknowledged_total")).isEqualTo(5);
            assertThat(sum(text, "switchboard_receipts_delivered_total")).isEqualTo(5);
            assertThat(sum(text, "switchboard_messages_queued")).isZero();
            assertThat(sum(text, "switchboard_connections_opened_total")).isGreaterThanOrEqualTo(2);
            assertThat(sum(text, "switchboard_frames_sent_total")).isGreaterThanOrEqualTo(17);
            assertThat(sum(text, "switchboard_command_seconds_count")).isEqualTo(5);
            assertThat(sum(text, "jvm_memory_used_bytes")).isPositive();
            assertThat(text).contains("routing=\"" + routing.configName() + "\"");
            if (routing == Routing.SHARDED) {
                assertThat(sum(text, "switchboard_ring_capacity_bytes")).isPositive();
                assertThat(sum(text, "switchboard_shard_busy_nanos_total")).isPositive();
                assertThat(sum(text, "switchboard_outbox_records_total")).isGreaterThanOrEqualTo(15);
            }
        }
    }

    @Test
    void shouldServeNoMetricsWhenTheyAreOff() throws Exception {
        try (TestServer server = TestServer.start(Routing.SHARDED, data, Map.of("metrics.enabled", false))) {
            exchange(server, 1);
            assertThat(get(server, "/metrics").statusCode()).isEqualTo(404);
            assertThat(get(server, "/dashboard/events").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void shouldStreamDashboardSnapshots() throws Exception {
        try (TestServer server = TestServer.start(Routing.SHARDED, data)) {
            exchange(server, 3);
            HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + server.port() + "/dashboard/events"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.headers().firstValue("content-type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            try (BufferedReader events =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String event = events.readLine();
                assertThat(event).startsWith("data: {").contains("\"accepted\":3", "\"routing\":\"sharded\"");
            }
        }
    }
}
