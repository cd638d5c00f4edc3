package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * scenarios/throughput-ceiling.yaml end to end, shortened: the ceiling variant delivers every message once, in order,
 * with its delivered receipt, under the same oracle as the real router beside it; every variant's transport is its
 * own; and each summary gives its delivered/s as a share of the ceiling's.
 */
@Timeout(240)
class CeilingRunTest {
    private static final List<String> VARIANTS =
            List.of("ceiling", "direct", "inproc-bin", "inproc-json", "ws-bin", "ws-json");

    @TempDir
    Path out;

    @Test
    void shouldDeliverAndReceiptEveryMessageThroughTheCeilingAndGiveEachVariantsShareOfIt() throws IOException {
        int exit = new CommandLine(new RunCommand())
                .execute(
                        Path.of("..", "scenarios", "throughput-ceiling.yaml").toString(),
                        "--out",
                        out.toString(),
                        "--jvm-warmup",
                        "0",
                        "--set",
                        "users=20",
                        "--set",
                        "messages.rate=300",
                        "--set",
                        "warmup=1s",
                        "--set",
                        "duration=2s",
                        "--set",
                        "drain=10s");

        assertThat(exit).as("every objective held").isZero();
        Path dir;
        try (Stream<Path> dirs = Files.list(out)) {
            dir = dirs.findFirst().orElseThrow();
        }
        JsonNode ceiling = summary(dir, "ceiling");
        assertThat(ceiling.at("/transport").asText()).isEqualTo("direct");
        assertThat(ceiling.at("/server/router.routing").asText()).isEqualTo("ceiling");
        JsonNode oracle = ceiling.get("oracle");
        assertThat(oracle.get("sent").asLong()).isPositive();
        assertThat(oracle.get("acked").asLong()).isEqualTo(oracle.get("sent").asLong());
        assertThat(oracle.get("delivered").asLong())
                .isEqualTo(oracle.get("acked").asLong());
        for (String zero :
                List.of("lost", "duplicatesInSession", "duplicatesToApp", "reordered", "receiptErrors", "sendErrors")) {
            assertThat(oracle.get(zero).asLong()).as(zero).isZero();
        }
        assertThat(ceiling.at("/latencyMicros/send2receipt/p50").asLong())
                .as("every delivered receipt came back")
                .isPositive();
        assertThat(ceiling.at("/serverCounters/messages.accepted").asLong())
                .as("one append and one ack per message the oracle saw acknowledged")
                .isEqualTo(oracle.get("acked").asLong());
        assertThat(ceiling.at("/efficiency").asDouble()).isEqualTo(1.0);

        Map<String, String> transports = Map.of(
                "direct", "direct",
                "inproc-bin", "in-process",
                "inproc-json", "in-process",
                "ws-bin", "websocket",
                "ws-json", "websocket");
        for (String variant : VARIANTS.subList(1, VARIANTS.size())) {
            JsonNode summary = summary(dir, variant);
            assertThat(summary.at("/transport").asText()).as(variant).isEqualTo(transports.get(variant));
            assertThat(summary.at("/oracle/lost").asLong()).as(variant).isZero();
            double expected = summary.at("/throughput/deliveredPerSec").asDouble()
                    / ceiling.at("/throughput/deliveredPerSec").asDouble();
            assertThat(summary.at("/efficiency").asDouble())
                    .as(variant + ": delivered/s as a share of the ceiling's")
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(0.001));
        }
        assertThat(summary(dir, "inproc-json").at("/codec").asText()).isEqualTo("sb.json.v1");
        assertThat(summary(dir, "ws-bin").at("/codec").asText()).isEqualTo("sb.bin.v1");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("of the ceiling");
    }

    /**
     * {@code --variant} runs only the variants named, e.g. the direct ones with more users than the websocket variants
     * may hold (9,000 devices): those are not run, so they do not refuse the run.
     */
    @Test
    void shouldRunOnlyTheVariantsNamed() throws IOException {
        String file = Path.of("..", "scenarios", "throughput-ceiling.yaml").toString();
        assertThat(new CommandLine(new RunCommand())
                        .execute(file, "--out", out.toString(), "--variant", "no-such-variant"))
                .as("an unknown variant is refused")
                .isEqualTo(2);

        int exit = new CommandLine(new RunCommand())
                .execute(
                        file,
                        "--out",
                        out.toString(),
                        "--jvm-warmup",
                        "0",
                        "--variant",
                        "direct",
                        "--variant",
                        "ceiling",
                        "--set",
                        "users=10000",
                        "--set",
                        "messages.rate=300",
                        "--set",
                        "warmup=1s",
                        "--set",
                        "duration=1s",
                        "--set",
                        "drain=10s");

        assertThat(exit).isZero();
        Path dir;
        try (Stream<Path> dirs = Files.list(out)) {
            dir = dirs.findFirst().orElseThrow();
        }
        try (Stream<Path> ran = Files.list(dir)) {
            assertThat(ran.filter(Files::isDirectory).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("ceiling", "direct");
        }
        assertThat(Files.readAllLines(dir.resolve("variants.txt")))
                .as("in the file's order")
                .containsExactly("ceiling", "direct");
        assertThat(summary(dir, "direct").has("efficiency")).isTrue();
    }

    /** The table the CLI prints gives the share of the ceiling only for a run that has one. */
    @Test
    void shouldPrintTheShareOfTheCeilingOnlyWhenTheRunHasOne() {
        Map<String, Object> ceiling = summary("ceiling", "ceiling", 200_000);
        Map<String, Object> sharded = summary("sharded", "sharded", 50_000);

        assertThat(Efficiency.add(List.of(sharded))).isFalse();
        assertThat(sharded).doesNotContainKey(Efficiency.KEY);
        assertThat(table(List.of(sharded))).doesNotContain("ceiling%");

        assertThat(Efficiency.add(List.of(sharded, ceiling))).isTrue();
        assertThat(sharded).containsEntry(Efficiency.KEY, 0.25);
        assertThat(ceiling).containsEntry(Efficiency.KEY, 1.0);
        assertThat(table(List.of(sharded, ceiling))).contains("ceiling%", "25.0%", "100.0%");
    }

    /** A ceiling that delivered nothing gives no share: a division by zero is no figure. */
    @Test
    void shouldGiveNoShareOfACeilingThatDeliveredNothing() {
        Map<String, Object> ceiling = summary("ceiling", "ceiling", 0);
        Map<String, Object> sharded = summary("sharded", "sharded", 50_000);

        assertThat(Efficiency.add(List.of(sharded, ceiling))).isFalse();
        assertThat(sharded).doesNotContainKey(Efficiency.KEY);
    }

    private static String table(List<Map<String, Object>> summaries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SummaryTable.print(summaries, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> summary(String variant, String routing, double deliveredPerSec) {
        Map<String, Object> latency = Map.of("p50", 1, "p99", 2, "p999", 3, "max", 4);
        Map<String, Object> oracle = new java.util.HashMap<>();
        for (String count : List.of(
                "acked",
                "lost",
                "duplicatesInSession",
                "duplicatesToApp",
                "reordered",
                "receiptErrors",
                "sendErrors")) {
            oracle.put(count, 0);
        }
        Map<String, Object> summary = new java.util.LinkedHashMap<>();
        summary.put("variant", variant);
        summary.put("throughput", Map.of("sentPerSec", deliveredPerSec, "deliveredPerSec", deliveredPerSec));
        summary.put("latencyMicros", Map.of("send2deliver", latency));
        summary.put("oracle", oracle);
        summary.put("server", Map.of("router.routing", routing));
        return summary;
    }

    private static JsonNode summary(Path dir, String variant) throws IOException {
        return new ObjectMapper()
                .readTree(dir.resolve(variant).resolve("summary.json").toFile());
    }
}
