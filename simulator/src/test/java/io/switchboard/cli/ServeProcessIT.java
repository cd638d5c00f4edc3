package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
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
        Process server = new ProcessBuilder(
                        "bash",
                        root.resolve("switchboard").toString(),
                        "serve",
                        "--port",
                        "0",
                        "--data",
                        data.toString())
                .redirectErrorStream(true)
                .start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader output =
                    new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                output.lines().forEach(lines::add);
            } catch (IOException | UncheckedIOException e) {
                lines.add("(output ended: " + e + ")");
            }
        });
        reader.start();
        try {
            String url = null;
            StringBuilder seen = new StringBuilder();
            while (url == null) {
                String line = lines.poll(60, TimeUnit.SECONDS);
                assertThat(line).as("the serving line; output so far:\n" + seen).isNotNull();
                seen.append(line).append('\n');
                Matcher serving = SERVING.matcher(line);
                if (serving.find()) {
                    url = serving.group(1);
                    assertThat(line).contains("routing=sharded", "data=" + data, "JDK");
                }
            }
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
            reader.join(5_000);
            assertThat(String.join("\n", lines)).contains("switchboard stopped");
        } finally {
            server.destroyForcibly();
        }
    }
}
