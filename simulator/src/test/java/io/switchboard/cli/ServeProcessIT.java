package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./switchboard serve} as a user runs it: a separate process through the launcher, stopped with SIGTERM. */
@Timeout(120)
class ServeProcessIT {
    private static final Pattern SERVING = Pattern.compile("switchboard serving (ws://[^\\s,]+)");

    @TempDir
    Path data;

    @Test
    void shouldServeThroughTheLauncherAndStopCleanlyOnSigterm() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        // Output goes to a file, not a pipe: reading a pipe while the process exits can fail with "Stream closed".
        Path log = data.resolve("serve.log");
        Process server = new ProcessBuilder(
                        "bash",
                        root.resolve("switchboard").toString(),
                        "serve",
                        "--port",
                        "0",
                        "--data",
                        data.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            String url = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (url == null && System.nanoTime() < deadline) {
                Matcher serving = SERVING.matcher(Files.readString(log));
                if (serving.find()) {
                    url = serving.group(1);
                } else {
                    Thread.sleep(100);
                }
            }
            assertThat(url)
                    .as("the serving line; output:\n" + Files.readString(log))
                    .isNotNull();
            assertThat(Files.readString(log)).contains("routing=sharded", "data=" + data, "JDK", "/dashboard");
            assertThat(Files.readString(log))
                    .as("Chronicle's banner and INFO lines show only with --verbose")
                    .doesNotContain("Leave your e-mail", "net.openhft");
            URI ws = URI.create(url);

            HttpResponse<String> registered = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://" + ws.getAuthority() + "/v1/accounts"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":42,\"device\":1}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).isEqualTo(201);
            String token = registered.body().replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            try (TestClient client = TestClient.connect(ws).hello(42, 1, token)) {
                client.send(new Frame().reset(FrameType.PING));
                client.expect(FrameType.PONG);
            }

            server.destroy();
            assertThat(server.waitFor(20, TimeUnit.SECONDS))
                    .as("stopped after SIGTERM")
                    .isTrue();
            assertThat(Files.readString(log)).contains("switchboard stopped");
        } finally {
            server.destroyForcibly();
        }
    }
}
