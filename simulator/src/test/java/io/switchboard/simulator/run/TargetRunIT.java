package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.simulator.fault.ServerProcess;
import io.switchboard.simulator.fault.ServerScrapes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run --target HOST:PORT} against a server started as its user starts one ({@code switchboard serve}, a
 * process of its own): the run drives it over WebSockets without starting or configuring it, its counters in the
 * summary come from the server's {@code /metrics}, and what cannot apply to a server the run did not start is refused
 * with the field and the reason.
 */
@Tag("slow")
@Timeout(300)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TargetRunIT {
    private static final String SCENARIO = """
            # Question: does a run against a server started elsewhere lose nothing?
            name: target
            seed: 11
            users: %d
            duration: 4s
            warmup: 1s
            drain: 10s
            messages: {rate: 200, readShare: 0.5, groupShare: 0.3}
            groups: {count: 3, size: 3..6}
            slo: [lost == 0, duplicatesToApp == 0, reordered == 0]
            %s
            """;

    @TempDir
    Path dir;

    /** Started as a load test's server should be: registrations from one address not limited. */
    private ServerProcess open;

    private final List<ServerProcess> servers = new ArrayList<>();
    private String stderr;

    @BeforeAll
    void startServer(@TempDir Path serverDir) throws Exception {
        open = start(serverDir.resolve("open"), List.of("-Dswitchboard.limits.registrations.perMinute=0"));
    }

    @AfterAll
    void stopServers() throws InterruptedException {
        for (ServerProcess server : servers) {
            server.destroy();
        }
    }

    private ServerProcess start(Path serverDir, List<String> options) throws Exception {
        Files.createDirectories(serverDir);
        ServerProcess server = ServerProcess.start(
                serverDir.resolve("server.log"), ServerProcess.freePort(), serverDir.resolve("data"), options);
        servers.add(server);
        return server;
    }

    private int run(String name, int users, String more, String address) throws IOException {
        Path scenario = Files.writeString(dir.resolve(name + ".yaml"), SCENARIO.formatted(users, more));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new RunCommand())
                    .execute(
                            scenario.toString(),
                            "--target",
                            address,
                            "--out",
                            dir.resolve("runs-" + name).toString());
        } finally {
            System.setErr(systemErr);
            stderr = err.toString(StandardCharsets.UTF_8);
            systemErr.print(stderr);
        }
    }

    @Test
    void shouldDriveARunningServerThroughAStormAndScrapeItsCountersIntoTheSummary() throws Exception {
        URI metrics = open.http().resolve("/metrics");
        ServerScrapes before = new ServerScrapes();
        before.start(metrics);

        int exit =
                run("open", 60, "faults:\n  - {kind: storm, at: 2s}", open.ws().getAuthority());

        JsonNode summary;
        try (Stream<Path> runs = Files.list(dir.resolve("runs-open"))) {
            summary = new ObjectMapper()
                    .readTree(runs.findFirst()
                            .orElseThrow()
                            .resolve("summary.json")
                            .toFile());
        }
        assertThat(exit).as(summary.toPrettyString()).isZero();
        assertThat(summary.at("/oracle/delivered").asLong()).isPositive();
        assertThat(summary.at("/oracle/lost").asLong()).isZero();
        assertThat(summary.at("/oracle/acked").asLong())
                .isEqualTo(summary.at("/oracle/sent").asLong());
        assertThat(summary.at("/target/address").asText()).isEqualTo(open.ws().getAuthority());
        assertThat(summary.at("/target/external").asBoolean()).isTrue();
        assertThat(summary.at("/target/settings").asText()).startsWith("unknown");
        long accepted = before.counters(metrics).get("messages.accepted");
        assertThat(accepted)
                .as("what the server's /metrics counted over the run")
                .isPositive();
        assertThat(summary.at("/serverCounters/messages.accepted").asLong()).isEqualTo(accepted);
        assertThat(summary.at("/gc/source").asText()).contains("/metrics");
        assertThat(summary.at("/faults/0/kind").asText()).isEqualTo("storm");

        assertThat(run("again", 60, "", open.ws().getAuthority())).isEqualTo(2);
        assertThat(stderr).contains("user 1 already has an account").contains("fresh --data");
    }

    @Test
    void shouldRefuseServerSettingsFaultsOnItsProcessAndOtherTransportsBeforeReachingTheServer() throws IOException {
        // Nothing listens there: the scenario is refused before the run looks for its server.
        String nowhere = "127.0.0.1:" + ServerProcess.freePort();
        assertThat(run("settings", 10, "server: {router: {shards: 1}}", nowhere))
                .isEqualTo(2);
        assertThat(stderr).contains("server.router.shards").contains("did not start");

        assertThat(run("variant", 10, "variants:\n  - {name: a, server: {journal.type: memory}}", nowhere))
                .isEqualTo(2);
        assertThat(stderr).contains("variants[0].server.journal.type");

        assertThat(run("variants", 10, "variants:\n  - {name: a, codec: json}\n  - {name: b, codec: binary}", nowhere))
                .isEqualTo(2);
        assertThat(stderr).contains("'variants'").contains("registers users 1..N once");

        assertThat(run("kill", 10, "faults:\n  - {kind: kill, at: 2s}", nowhere))
                .isEqualTo(2);
        assertThat(stderr).contains("faults[0].kind").contains("cannot kill");

        assertThat(run("transport", 10, "transport: in-process", nowhere)).isEqualTo(2);
        assertThat(stderr).contains("transport").contains("over websocket only");
    }

    @Test
    void shouldSayWhatToSetOnAServerThatLimitsRegistrations(@TempDir Path serverDir) throws Exception {
        ServerProcess limited = start(serverDir, List.of());

        assertThat(run("limited", 100, "", limited.ws().getAuthority())).isEqualTo(2);

        assertThat(stderr).contains("rate-limited").contains("-Dswitchboard.limits.registrations.perMinute=0");
    }
}
