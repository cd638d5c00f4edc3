package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run --profile}: a CPU and an allocation flame graph of each variant's measured phase next to its
 * summary.json, named there with the CPU breakdown, and linked from report.html; with async-profiler where it loads,
 * and with JFR where it does not.
 */
@Timeout(180)
class RunProfileTest {
    /** A quickstart, tiny: 20 users, 3 s measured after 1 s of warm-up; only the oracle's objective. */
    private static final String TINY = """
            # Question: where does a tiny run's CPU go?
            name: quickstart
            seed: 42
            users: 20
            transport: %s
            duration: 3s
            warmup: 1s
            drain: 10s
            messages: {rate: %d}
            slo:
              - lost == 0
            """;

    private static final String VARIANTS = """
            variants:
              - name: sharded
                server: {router.routing: sharded}
              - name: locked
                server: {router.routing: locked}
            """;

    @TempDir
    Path out;

    /** Runs a scenario with --profile and returns its results directory. */
    private Path run(RunCommand command, String scenario) throws IOException {
        Path file = Files.writeString(out.resolve("tiny.yaml"), scenario);
        Path results = out.resolve("results");
        assertThat(new CommandLine(command)
                        .execute(file.toString(), "--out", results.toString(), "--profile", "--jvm-warmup", "0"))
                .isZero();
        try (Stream<Path> dirs = Files.list(results)) {
            return dirs.findFirst().orElseThrow();
        }
    }

    private static JsonNode summary(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }

    @Test
    void shouldWriteFlameGraphsOfEveryVariantNextToItsSummaryAndLinkThemFromTheReport() throws IOException {
        Path dir = run(new RunCommand(), TINY.formatted("websocket", 1000) + VARIANTS);

        String report = Files.readString(dir.resolve("report.html"));
        for (String variant : List.of("sharded", "locked")) {
            JsonNode profile = summary(dir.resolve(variant)).get("profile");
            assertThat(profile).as(variant + " profile in summary.json").isNotNull();
            assertThat(profile.get("profiler").asText()).startsWith("async-profiler 4.");
            assertThat(profile.has("fallback")).isFalse();
            assertThat(profile.get("cpuEvent").asText()).isIn("cpu", "itimer");
            assertFlameGraphsAndBreakdown(dir.resolve(variant), profile);
            assertSampled(dir.resolve(variant), profile);
            assertThat(report)
                    .contains("href=\"" + variant + "/"
                            + profile.get("cpuFlameGraph").asText() + "\"")
                    .contains("href=\"" + variant + "/"
                            + profile.get("allocFlameGraph").asText() + "\"");
        }
    }

    @Test
    void shouldFallBackToJfrAndSaySo() throws IOException {
        RunCommand command = new RunCommand();
        command.profileWithJfr = true;
        Path dir = run(command, TINY.formatted("in-process", 1000));

        JsonNode profile = summary(dir).get("profile");
        assertThat(profile.get("profiler").asText()).isEqualTo("JFR");
        assertThat(profile.get("fallback").asText()).isNotEmpty();
        assertThat(profile.get("cpuEvent").asText()).isEqualTo("jdk.ExecutionSample");
        assertThat(profile.get("recording").asText()).endsWith(".jfr");
        assertFlameGraphsAndBreakdown(dir, profile);
        assertThat(Files.readString(dir.resolve("report.html")))
                .contains("href=\"" + profile.get("cpuFlameGraph").asText() + "\"", "JFR");
    }

    /**
     * Both flame graphs are HTML pages and the recording is not empty; the breakdown has every component, and its
     * shares (each rounded to a tenth of a percent) add up to one once there are samples (JFR samples only threads running Java code: a few a second at
     * this load, and then the breakdown stays all zeros).
     */
    private static void assertFlameGraphsAndBreakdown(Path dir, JsonNode profile) throws IOException {
        for (String field : List.of("cpuFlameGraph", "allocFlameGraph")) {
            Path html = dir.resolve(profile.get(field).asText());
            assertThat(html.getFileName().toString()).endsWith(".html");
            assertThat(Files.readString(html)).as(field).startsWith("<!DOCTYPE html>");
        }
        assertThat(Files.size(dir.resolve(profile.get("recording").asText()))).isPositive();
        assertThat(profile.get("profiledSec").asDouble()).isPositive();
        assertThat(profile.get("cpuBreakdown").size()).isEqualTo(8);
        double sum = 0;
        for (JsonNode share : profile.get("cpuBreakdown")) {
            assertThat(share.asDouble()).isBetween(0.0, 1.0);
            sum += share.asDouble();
        }
        assertThat(sum).isCloseTo(profile.get("cpuSamples").asLong() > 0 ? 1.0 : 0.0, within(0.005));
    }

    /** A profile of a run's samples, by async-profiler: the flame graphs show switchboard's own code. */
    private static void assertSampled(Path dir, JsonNode profile) throws IOException {
        assertThat(profile.get("cpuSamples").asLong()).isPositive();
        for (String field : List.of("cpuFlameGraph", "allocFlameGraph")) {
            assertThat(Files.readString(dir.resolve(profile.get(field).asText())))
                    .as(field)
                    // frame names, prefix-compressed in the page's script
                    .contains("switchboard/");
        }
    }
}
