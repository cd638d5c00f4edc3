package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code capacity} end to end: real searches on a tiny in-process scenario, and its argument errors. */
@Timeout(300)
class CapacityCommandTest {
    @TempDir
    Path out;

    private Path scenario;
    private final StringWriter stdout = new StringWriter();
    private final StringWriter stderr = new StringWriter();

    @BeforeEach
    void tinyScenario() throws IOException {
        scenario = Files.writeString(out.resolve("tiny.yaml"), """
                # Question: how many msgs/s do 20 users get through?
                name: tiny
                seed: 3
                users: 20
                transport: in-process
                drain: 10s
                messages: {rate: 100, readShare: 0}
                slo:
                  - p99 < 60s
                """);
    }

    private int capacity(String... args) {
        List<String> all = new ArrayList<>(
                List.of(scenario.toString(), "--out", out.resolve("runs").toString()));
        all.addAll(List.of(args));
        if (!all.contains("--jvm-warmup")) {
            // No JVM warm-up unless a test asks: each would take its seconds.
            all.addAll(List.of("--jvm-warmup", "0"));
        }
        return new CommandLine(new CapacityCommand())
                .setOut(new PrintWriter(stdout, true))
                .setErr(new PrintWriter(stderr, true))
                .execute(all.toArray(String[]::new));
    }

    private Path onlyResults() throws IOException {
        try (Stream<Path> dirs = Files.list(out.resolve("runs"))) {
            return dirs.findFirst().orElseThrow();
        }
    }

    /**
     * An objective on delivered/s stands in for a latency bound a shared machine cannot promise: 200, 400 and then
     * 600 msgs/s hold it, 800 does not, and at 40% resolution the search stops with 600 between them. How the objective
     * reads its measured value is {@link CapacityStepTest}'s.
     */
    @Test
    void shouldFindTheHighestRateHoldingTheObjectiveAndWriteEveryStepAndTheCurve() throws IOException {
        int exit = capacity(
                "--slo",
                "deliveredPerSec < 700",
                "--start",
                "200",
                "--resolution",
                "40%",
                "--duration",
                "3s",
                "--warmup",
                "1s",
                "--jvm-warmup",
                "1");

        assertThat(exit).as(stderr.toString()).isZero();
        assertThat(stdout.toString()).contains("JVM warm-up: 1 s of default's traffic at 200 msgs/s, not recorded");
        Path dir = onlyResults();
        JsonNode summary =
                new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.at("/objectives/0").asText()).isEqualTo("deliveredPerSec < 700");
        JsonNode variant = summary.at("/variants/0");
        assertThat(variant.get("variant").asText()).isEqualTo("default");
        assertThat(variant.get("capacityPerSec").asInt()).as(stdout.toString()).isEqualTo(600);
        assertThat(variant.get("found").asBoolean()).isTrue();
        List<Integer> offered = new ArrayList<>();
        variant.get("steps")
                .forEach(step -> offered.add(step.get("offeredPerSec").asInt()));
        assertThat(offered).containsExactly(200, 400, 800, 600);
        JsonNode failed = variant.at("/steps/2");
        assertThat(failed.get("held").asBoolean()).isFalse();
        // 800 fails either way: 700/s or more breaks the objective; under 720/s, a machine that stalled within the
        // window, breaks the rule that a step deliver 90% of what it owed.
        boolean keptUp = failed.get("deliveredPerSec").asDouble() >= 700;
        assertThat(failed.get("whyFailed").asText())
                .contains(keptUp ? "deliveredPerSec < 700 (measured " : "under 90% of the 800/s owed");
        JsonNode held = variant.at("/steps/3");
        assertThat(held.get("held").asBoolean()).isTrue();
        assertThat(held.get("lost").asLong()).isZero();
        assertThat(held.get("drainSettled").asBoolean()).isTrue();
        assertThat(held.get("deliveredPerSec").asDouble()).isBetween(540.0, 660.0);
        assertThat(held.get("p99Micros").asLong()).isPositive();
        assertThat(variant.get("p99MicrosAtCapacity").asLong())
                .isEqualTo(held.get("p99Micros").asLong());

        String report = Files.readString(dir.resolve("report.html"));
        assertThat(report)
                .contains("tiny: capacity at deliveredPerSec &lt; 700")
                .contains("<td>600</td>")
                .contains("delivered/s by offered rate")
                .contains("send→deliver p99 by offered rate")
                .contains("<figure class=\"chart\"")
                .contains("\"label\":\"default\"");
        assertThat(stdout.toString()).contains("step  4  offered       600/s").containsPattern("default +600 ");
    }

    @Test
    void shouldExitOneAndSayWhyWhenEvenTheStartRateFails() throws IOException {
        int exit = capacity("--slo", "deliveredPerSec < 10", "--start", "1000", "--duration", "1s", "--warmup", "0s");

        assertThat(exit).isEqualTo(1);
        assertThat(stderr.toString())
                .contains("variant default: even the start rate 1,000 msgs/s failed (deliveredPerSec < 10 (measured")
                .contains("try a lower --start");
        JsonNode variant = new ObjectMapper()
                .readTree(onlyResults().resolve("summary.json").toFile())
                .at("/variants/0");
        assertThat(variant.get("capacityPerSec").isNull()).isTrue();
        assertThat(variant.get("steps")).hasSize(1);
    }

    @Test
    void shouldRefuseBadArgumentsWithExitCodeTwoAndAClearMessage() {
        assertThat(capacity("--slo", "p99 < 50")).isEqualTo(2);
        assertThat(stderr.toString()).contains("--slo 'p99 < 50': 'p99' is a latency: give a unit (us, ms or s)");

        assertThat(capacity("--variant", "sharded")).isEqualTo(2);
        assertThat(stderr.toString()).contains("--variant sharded: " + scenario + " has default");

        assertThat(capacity("--resolution", "0%")).isEqualTo(2);
        assertThat(stderr.toString()).contains("--resolution: expected a percentage above 0 and below 100");

        assertThat(capacity("--start", "5000", "--max", "1000")).isEqualTo(2);
        assertThat(stderr.toString()).contains("expected 1 <= start <= max, got 5000 and 1000");

        assertThat(capacity("--duration", "soon")).isEqualTo(2);
        assertThat(capacity("--jvm-warmup", "-1")).isEqualTo(2);
        assertThat(stderr.toString()).contains("--jvm-warmup: expected 0 or more seconds, got -1");
        assertThat(stderr.toString()).contains("duration");
        assertThat(out.resolve("runs")).doesNotExist();
    }
}
