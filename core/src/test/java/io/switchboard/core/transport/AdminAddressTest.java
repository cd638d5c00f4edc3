package io.switchboard.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.Routing;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.server.SwitchboardServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 8: {@code /metrics} and {@code /dashboard} tell who is online and how busy the server is. They used to
 * share the public port with no control; they now move to an admin address of their own when asked, and always when
 * the public port is bound to anything but loopback, and dashboard streams are capped.
 */
@Timeout(30)
class AdminAddressTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path data;

    private SwitchboardServer start(Map<String, Object> extra) throws InterruptedException {
        Settings settings = Settings.empty()
                .with("server.port", 0, "test")
                .with("server.data", data, "test")
                .with("router.routing", Routing.SHARDED.configName(), "test")
                .with("transport.ioThreads", 1, "test");
        extra.forEach((key, value) -> settings.with(key, value, "test"));
        return SwitchboardServer.start(ServerContext.conclude(settings));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> register(String url, long user) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url + "/v1/accounts"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":" + user + ",\"device\":1}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeMetricsAndTheDashboardOnlyOnTheAdminAddressWhenItHasOne() throws Exception {
        try (SwitchboardServer server = start(Map.of("server.adminPort", 0))) {
            String publicUrl = server.httpUrl();
            String adminUrl = server.adminUrl();
            assertThat(adminUrl).isNotEqualTo(publicUrl).startsWith("http://127.0.0.1:");

            HttpResponse<String> refused = get(publicUrl + "/metrics");
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(refused.body()).contains("admin address");
            assertThat(get(publicUrl + "/dashboard/").statusCode()).isEqualTo(404);
            assertThat(register(publicUrl, 42).statusCode()).isEqualTo(201);

            assertThat(get(adminUrl + "/metrics").statusCode()).isEqualTo(200);
            assertThat(get(adminUrl + "/dashboard/").statusCode()).isEqualTo(200);
            assertThat(register(adminUrl, 43).statusCode())
                    .as("no accounts there")
                    .isEqualTo(404);
            assertThat(get(adminUrl + "/ws").statusCode())
                    .as("no WebSocket there")
                    .isEqualTo(404);
        }
    }

    @Test
    void shouldKeepMetricsOffAPublicBindUnlessAskedOtherwise() throws Exception {
        try (SwitchboardServer server = start(Map.of("server.host", "0.0.0.0"))) {
            String publicUrl = "http://127.0.0.1:" + server.port();
            assertThat(get(publicUrl + "/metrics").statusCode()).isEqualTo(404);
            assertThat(server.adminUrl()).startsWith("http://127.0.0.1:");
            assertThat(get(server.adminUrl() + "/metrics").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldServeMetricsOnALoopbackPublicPortByDefault() throws Exception {
        try (SwitchboardServer server = start(Map.of())) {
            assertThat(server.adminUrl()).isEqualTo(server.httpUrl());
            assertThat(get(server.httpUrl() + "/metrics").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldCapDashboardStreams() throws Exception {
        try (SwitchboardServer server = start(Map.of("transport.maxDashboardStreams", 1))) {
            URI events = URI.create(server.adminUrl() + "/dashboard/events");
            HttpResponse<InputStream> first =
                    http.send(HttpRequest.newBuilder(events).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(first.statusCode()).isEqualTo(200);
            try (InputStream stream = first.body()) {
                HttpResponse<String> second = get(events.toString());
                assertThat(second.statusCode()).isEqualTo(503);
                assertThat(second.body()).contains("transport.maxDashboardStreams");
                assertThat(stream.read()).as("the first stream still flows").isNotEqualTo(-1);
            }
        }
    }
}
