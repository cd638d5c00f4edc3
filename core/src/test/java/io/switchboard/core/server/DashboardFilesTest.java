package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.Routing;
import io.switchboard.core.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard serves its own files and nothing else: a path that names a directory of the classpath, or merely
 * starts like the dashboard's, gets 404, never a listing of what the server's classpath holds there.
 */
@Timeout(60)
class DashboardFilesTest {
    @TempDir
    Path data;

    @Test
    void shouldServeThePageAndItsFilesButNoDirectoryAndNoLookalikePath() {
        try (TestServer server = TestServer.start(Routing.SHARDED, data, Map.of())) {
            HttpResponse<String> page = server.get("/dashboard/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(server.get("/dashboard").statusCode()).isEqualTo(200);
            assertThat(server.get("/dashboard/dashboard.js").statusCode()).isEqualTo(200);
            assertThat(server.get("/dashboard/vendor/uplot/uPlot.iife.min.js").statusCode())
                    .isEqualTo(200);

            for (String path : new String[] {
                "/dashboardX",
                "/dashboard/vendor/",
                "/dashboard/vendor/uplot/",
                "/dashboard//",
                "/dashboard/x/../index.html"
            }) {
                HttpResponse<String> response = server.get(path);
                assertThat(response.statusCode())
                        .as(path + ": " + response.body())
                        .isEqualTo(404);
                assertThat(response.body()).as(path).startsWith("{\"error\":\"not-found\"");
            }
        }
    }
}
