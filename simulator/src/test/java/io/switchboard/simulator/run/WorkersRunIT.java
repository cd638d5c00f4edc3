package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.simulator.fault.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run --target HOST:PORT --workers 2} against {@code switchboard serve} as a process of its own: two worker
 * processes each drive their share of the users, and the run's one summary is their merge: counts summed, histograms
 * added, every user of both shares connected, nothing lost through a storm.
 */
@Tag("slow")
@Timeout(300)
class WorkersRunIT {
    private static final String SCENARIO = """
            # Question: do two load processes against one server lose nothing, and add up?
            name: workers
            seed: 11
            users: 60
            duration: 4s
            warmup: 1s
            drain: 10s
            messages: {rate: 200, readShare: 0.5, groupShare: 0.3}
            groups: {count: 4, size: 3..6}
            faults:
              - {kind: storm, at: 2s}
            slo: [lost == 0, duplicatesToApp == 0, reordered == 0]
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String stderr;

    @Test
    void shouldMergeTwoWorkersSharesIntoOneExactSummary() throws Exception {
        Path serverDir = Files.createDirectories(dir.resolve("server"));
        ServerProcess server = ServerProcess.start(
                serverDir.resolve("server.log"),
                ServerProcess.freePort(),
                serverDir.resolve("data"),
                List.of("-Dswitchboard.limits.registrations.perMinute=0"));
        try {
            int exit = run(server, "runs");
            Path run;
            try (Stream<Path> runs = Files.list(dir.resolve("runs"))) {
                run = runs.findFirst().orElseThrow();
            }
            JsonNode summary = JSON.readTree(run.resolve("summary.json").toFile());
            JsonNode first = JSON.readTree(run.resolve("workers/partial-1.json").toFile());
            JsonNode second =
                    JSON.readTree(run.resolve("workers/partial-2.json").toFile());

            assertThat(exit).as(summary.toPrettyString()).isZero();
            assertThat(summary.at("/workers").asInt()).isEqualTo(2);
            assertThat(summary.at("/users").asInt()).isEqualTo(60);
            for (JsonNode part : List.of(first, second)) {
                assertThat(part.at("/oracle/sent").asLong()).isPositive();
                assertThat(part.at("/oracle/delivered").asLong())
                        .as("the share's users connected and received")
                        .isPositive();
                assertThat(part.at("/outages/0/closed").asInt())
                        .as("every device of the share was online when the storm closed it")
                        .isEqualTo(30);
            }
            assertThat(summary.at("/oracle/sent").asLong())
                    .isEqualTo(first.at("/oracle/sent").asLong()
                            + second.at("/oracle/sent").asLong());
            assertThat(summary.at("/oracle/delivered").asLong())
                    .isEqualTo(first.at("/oracle/delivered").asLong()
                            + second.at("/oracle/delivered").asLong());
            assertThat(summary.at("/oracle/lost").asLong()).isZero();
            assertThat(summary.at("/oracle/acked").asLong())
                    .isEqualTo(summary.at("/oracle/sent").asLong());
            assertThat(summary.at("/groups/count").asInt()).isEqualTo(4);
            assertThat(summary.at("/serverCounters/messages.accepted").asLong()
                            + summary.at("/serverCounters/group.messages.accepted")
                                    .asLong())
                    .as("the server's counts over the whole run, scraped by the parent")
                    .isEqualTo(summary.at("/oracle/acked").asLong());
            assertThat(summary.at("/serverCounters/connections.opened").asLong())
                    .as("from the workers' start: every device of both shares reconnected after the storm")
                    .isGreaterThanOrEqualTo(60);
            assertThat(summary.at("/faults/0/kind").asText()).isEqualTo("storm");
            assertThat(summary.at("/faults/0/devicesClosed").asLong()).isPositive();

            assertThat(loggedCount(run.resolve("send2deliver.hlog")))
                    .as("the run's histogram log holds every worker's timed deliveries")
                    .isEqualTo(perSecondCount(first) + perSecondCount(second))
                    .isGreaterThan(perSecondCount(first));
            assertThat(Files.readString(run.resolve("workers/worker-1.log"))).contains("from 127.0.0.1");
            assertThat(Files.readString(run.resolve("workers/worker-2.log")))
                    .contains("registered 30 accounts")
                    .contains("from 127.0.0.2");

            // Users 1..60 are registered now: each worker's registration is refused, and the run says which and why.
            assertThat(run(server, "again")).isEqualTo(3);
            assertThat(stderr)
                    .containsPattern("worker [12] failed \\(exit 2\\)")
                    .contains("already has an account")
                    .contains("worker-");
        } finally {
            server.destroy();
        }
    }

    private int run(ServerProcess server, String out) throws IOException {
        Path scenario = Files.writeString(dir.resolve("workers.yaml"), SCENARIO);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream systemErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new RunCommand())
                    .execute(
                            scenario.toString(),
                            "--target",
                            server.ws().getAuthority(),
                            "--workers",
                            "2",
                            "--out",
                            dir.resolve(out).toString());
        } finally {
            System.setErr(systemErr);
            stderr = err.toString(StandardCharsets.UTF_8);
            systemErr.print(stderr);
        }
    }

    private static long perSecondCount(JsonNode part) {
        long count = 0;
        for (JsonNode second : part.path("perSecond")) {
            count += WorkerPartial.decode(second.asText()).getTotalCount();
        }
        return count;
    }

    private static long loggedCount(Path hlog) throws IOException {
        long count = 0;
        HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        for (Histogram interval = (Histogram) reader.nextIntervalHistogram();
                interval != null;
                interval = (Histogram) reader.nextIntervalHistogram()) {
            count += interval.getTotalCount();
        }
        return count;
    }
}
