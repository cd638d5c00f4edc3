package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server starts from the core module alone: {@link ServeCommand#main} in a JVM whose class path is this module's
 * test class path, which has no simulator on it, serves registrations and stops on SIGTERM.
 */
@Timeout(120)
class ServeCommandProcessTest {
    private static final Pattern SERVING = Pattern.compile("switchboard serving ws://([^\\s,/]+)/ws");

    @TempDir
    Path dir;

    @Test
    void shouldServeFromTheCoreModuleAloneAndStopOnSigterm() throws Exception {
        assertThat(System.getProperty("java.class.path")).doesNotContain("simulator");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The same --add-exports/--add-opens and -D flags this test JVM got from the build.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle"))
                .forEach(command::add);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                ServeCommand.class.getName(),
                "--port",
                "0",
                "--data",
                dir.resolve("data").toString()));
        Path log = dir.resolve("serve.log");
        Process server = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            String address = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (address == null && server.isAlive() && System.nanoTime() < deadline) {
                Matcher serving = SERVING.matcher(Files.readString(log));
                if (serving.find()) {
                    address = serving.group(1);
                } else {
                    Thread.sleep(100);
                }
            }
            assertThat(address)
                    .as("the serving line; output:\n" + Files.readString(log))
                    .isNotNull();
            HttpResponse<String> registered = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://" + address + "/v1/accounts"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":42,\"device\":1}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);

            server.destroy(); // SIGTERM
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(log)).contains("switchboard stopped");
        } finally {
            server.destroyForcibly();
        }
    }
}
