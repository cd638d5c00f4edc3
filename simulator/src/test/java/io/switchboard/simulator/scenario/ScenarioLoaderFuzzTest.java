package io.switchboard.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.switchboard.core.testing.MemoryDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The scenario loader against arbitrary files (the fuzz profile and docs/fuzzing.md tell how to run it): a file is
 * either a {@link Scenario} or a {@link ScenarioException} that names the file and where in it (a line that the file
 * has, or a field), never another exception, and it is read in well under the time a hang would take. The check of
 * time is coarse on purpose (a slow machine must not fail it): it catches a parse that grows badly with the input,
 * while a true hang is stopped by the fork's timeout (the surefire executions in simulator/pom.xml).
 *
 * <p>Each input is written to a file and loaded from it, as {@code switchboard run} does, so that reading (a byte
 * order mark, text that is not UTF-8) is fuzzed too. Seeds: {@code ScenarioLoaderFuzzTestInputs/} under test
 * resources, shipped scenarios and broken ones.
 */
class ScenarioLoaderFuzzTest {
    private static final Duration TOO_SLOW = Duration.ofSeconds(5);

    private MemoryDirectory dir;
    private Path file;

    @BeforeEach
    void createDirectory() {
        dir = new MemoryDirectory("switchboard-scenario-fuzz");
        file = dir.path().resolve("fuzz.yaml");
    }

    @AfterEach
    void deleteDirectory() {
        dir.close();
    }

    @FuzzTest
    void shouldLoadAScenarioOrSayWhereTheFileIsWrong(byte[] input) throws IOException {
        Files.write(file, input);
        long start = System.nanoTime();
        try {
            assertThat(ScenarioLoader.load(file)).isNotNull();
        } catch (ScenarioException e) {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.getMessage()).startsWith(file.toString());
            if (e.line().isPresent()) {
                assertThat(e.line().getAsInt()).as(e.getMessage()).isLessThanOrEqualTo(lines(input));
            } else {
                assertThat(e.field().isPresent() || e.problem().startsWith("cannot read"))
                        .as("names neither line nor field: " + e.getMessage())
                        .isTrue();
            }
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TOO_SLOW);
    }

    /**
     * The lines a YAML reader may count in the file: it breaks lines at CR, LF and CR LF, and (YAML 1.1, as snakeyaml
     * reads) at NEL, LS and PS too; one more for a last line without a break.
     */
    private static int lines(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int lines = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                lines++;
            } else if (c == '\r') {
                lines++;
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
            }
        }
        return lines;
    }
}
