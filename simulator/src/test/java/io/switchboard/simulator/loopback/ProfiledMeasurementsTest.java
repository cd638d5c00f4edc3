package io.switchboard.simulator.loopback;

import static org.assertj.core.api.Assertions.assertThat;

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

/** {@code loopback --profile} and {@code fanout --profile}: flame graphs of each run, named in its summary entry. */
@Timeout(180)
class ProfiledMeasurementsTest {
    @TempDir
    Path out;

    @Test
    void shouldProfileEachLoopbackRun() throws IOException {
        int exit = new CommandLine(new LoopbackCommand())
                .execute(
                        "--pairs",
                        "5",
                        "--rates",
                        "500",
                        "--routing",
                        "sharded",
                        "--warmup",
                        "1",
                        "--duration",
                        "1",
                        "--out",
                        out.toString(),
                        "--profile");

        assertThat(exit).isZero();
        assertProfiled("sharded-500-");
    }

    @Test
    void shouldProfileTheLivePhaseOfEachFanoutRun() throws IOException {
        int exit = new CommandLine(new FanoutCommand())
                .execute(
                        "--sizes",
                        "4",
                        "--deliveries",
                        "400",
                        "--fanout",
                        "single-copy",
                        "--warmup",
                        "1",
                        "--duration",
                        "1",
                        "--stored",
                        "1000",
                        "--out",
                        out.toString(),
                        "--profile");

        assertThat(exit).isZero();
        assertProfiled("single-copy-4-");
    }

    private void assertProfiled(String prefix) throws IOException {
        Path dir;
        try (Stream<Path> dirs = Files.list(out)) {
            dir = dirs.findFirst().orElseThrow();
        }
        JsonNode summary =
                new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.at("/env").fieldNames())
                .toIterable()
                .as("where it ran, as every result records it, and the commit of the code")
                .contains("jdk", "cores", "commit", "nettyLeakDetection", "transparentHugePages", "note");
        JsonNode profile = summary.at("/runs/0/profile");
        assertThat(profile.isMissingNode()).as("runs[0].profile").isFalse();
        for (String field : List.of("cpuFlameGraph", "allocFlameGraph", "recording")) {
            assertThat(profile.get(field).asText()).startsWith(prefix);
            assertThat(dir.resolve(profile.get(field).asText())).as(field).isNotEmptyFile();
        }
        assertThat(profile.get("cpuBreakdown").size()).isEqualTo(8);
    }
}
