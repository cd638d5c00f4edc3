package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.router.FatalErrors;
import io.switchboard.core.testing.ServeProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server starts from the core module alone: {@link ServeCommand#main} in a JVM whose class path is this module's
 * test class path, which has no simulator on it, serves registrations and stops on SIGTERM.
 */
@Timeout(120)
class ServeCommandProcessTest {
    @TempDir
    Path dir;

    @Test
    void shouldServeFromTheCoreModuleAloneAndStopOnSigterm() throws Exception {
        assertThat(System.getProperty("java.class.path")).doesNotContain("simulator");
        try (ServeProcess server = ServeProcess.start(dir.resolve("data"), dir.resolve("serve.log"))) {
            HttpResponse<String> registered = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(server.http("/v1/accounts"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":42,\"device\":1}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);

            server.process().destroy(); // SIGTERM
            assertThat(server.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.output()).contains("switchboard stopped");
        }
    }

    /**
     * A server that cannot start (here its shards' rings do not fit in the direct memory it is given) exits with a
     * clear line and a non-zero status, rather than living on without its main thread as a process that serves
     * nothing, which a supervisor would never restart.
     */
    @Test
    void shouldExitWithStatus70WhenItCannotStart() throws Exception {
        Path log = dir.resolve("serve.log");
        Process server = ServeProcess.launch(dir.resolve("data"), log, "-XX:MaxDirectMemorySize=4m");
        try {
            assertThat(server.waitFor(60, TimeUnit.SECONDS))
                    .as("exited; output:%n%s", Files.readString(log))
                    .isTrue();
            assertThat(server.exitValue()).isEqualTo(FatalErrors.EXIT_STATUS);
            assertThat(Files.readString(log))
                    .contains("switchboard serve: could not start: java.lang.OutOfMemoryError")
                    .doesNotContain("switchboard serving");
        } finally {
            server.destroyForcibly();
        }
    }
}
