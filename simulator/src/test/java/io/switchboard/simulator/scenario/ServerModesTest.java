package io.switchboard.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code server.mode} and {@code faults} as a scenario file writes them, and the errors that name their line. */
class ServerModesTest {
    private static final String HEAD = """
            # Question: what breaks?
            users: 10
            duration: 20s
            warmup: 2s
            """;

    @TempDir
    Path dir;

    private Scenario load(String text, Map<String, String> overrides) throws IOException {
        return ScenarioLoader.load(Files.writeString(dir.resolve("faults.yaml"), HEAD + text), overrides);
    }

    @Test
    void shouldTakeTheModeOutOfTheServerSettings() throws IOException {
        Scenario scenario = load("""
                server:
                  mode: process
                  router.shards: 2
                """, Map.of());

        assertThat(scenario.serverMode()).isEqualTo(Scenario.ServerMode.PROCESS);
        assertThat(scenario.server()).containsExactly(Map.entry("router.shards", "2"));
    }

    @Test
    void shouldRunEmbeddedUnlessToldAndTakeTheModeFromSet() throws IOException {
        assertThat(load("", Map.of()).serverMode()).isEqualTo(Scenario.ServerMode.EMBEDDED);
        assertThat(load("", Map.of("server.mode", "process")).serverMode()).isEqualTo(Scenario.ServerMode.PROCESS);
    }

    @Test
    void shouldReadFaultsInTimeOrderWithTheirDowntime() throws IOException {
        Scenario scenario = load("""
                server: {mode: process}
                faults:
                  - {kind: restart, at: 15s}
                  - {kind: kill, at: 5s, for: 1500ms}
                """, Map.of());

        assertThat(scenario.faults())
                .containsExactly(
                        new Scenario.Fault(Scenario.FaultKind.KILL, Duration.ofSeconds(5), Duration.ofMillis(1500)),
                        new Scenario.Fault(Scenario.FaultKind.RESTART, Duration.ofSeconds(15), Duration.ZERO));
    }

    @Test
    void shouldRefuseFaultsOnAnEmbeddedServer() {
        assertThatThrownBy(() -> load("""
                        faults:
                          - {kind: kill, at: 5s}
                        """, Map.of()))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("line 6")
                .hasMessageContaining("faults act on a server process: set server.mode: process");
    }

    @Test
    void shouldRefuseAFaultAfterSendingEnds() {
        assertThatThrownBy(() -> load("""
                        server: {mode: process}
                        faults:
                          - {kind: kill, at: 22s}
                        """, Map.of()))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining("faults[0].at")
                .hasMessageContaining("before the end of sending");
    }

    @Test
    void shouldRefuseAnUnknownModeAndAModeInAVariant() {
        assertThatThrownBy(() -> load("server: {mode: remote}\n", Map.of()))
                .hasMessageContaining("server.mode")
                .hasMessageContaining("expected embedded or process, got 'remote'");
        assertThatThrownBy(() -> load("""
                        variants:
                          - name: a
                            server: {mode: process}
                        """, Map.of())).hasMessageContaining("server.mode is scenario-wide");
    }

    @Test
    void shouldRefuseAFaultWithoutAKind() {
        assertThatThrownBy(() -> load("""
                        server: {mode: process}
                        faults:
                          - {at: 5s}
                        """, Map.of())).hasMessageContaining("every fault needs a kind");
    }

    @Test
    void shouldReadSlowReadersWithTheirShareAndRate() throws IOException {
        Scenario scenario = load("""
                server: {mode: process}
                faults:
                  - {kind: slowReaders, at: 10s, for: 5s, share: 0.05, rate: 8KB}
                """, Map.of());

        assertThat(scenario.faults())
                .containsExactly(new Scenario.Fault(
                        Scenario.FaultKind.SLOW_READERS,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5),
                        null,
                        0.05,
                        8 * 1024));
        assertThat(scenario.faults().get(0).onTheNetwork()).isTrue();
    }

    @Test
    void shouldRefuseSlowReadersWithoutARateOrWithABadShare() {
        assertThatThrownBy(() -> load("""
                        server: {mode: process}
                        faults:
                          - {kind: slowReaders, at: 10s, for: 5s, share: 0.05}
                        """, Map.of()))
                .hasMessageContaining("line 7")
                .hasMessageContaining("faults[0].rate")
                .hasMessageContaining("needs a share (0..1] and a rate");
        assertThatThrownBy(() -> load("""
                        server: {mode: process}
                        faults:
                          - {kind: slowReaders, at: 10s, for: 5s, share: 1.5, rate: 8KB}
                        """, Map.of())).hasMessageContaining("faults[0].share");
        assertThatThrownBy(() -> load("""
                        server: {mode: process}
                        faults:
                          - {kind: slowReaders, at: 10s, for: 5s, share: 0.5, rate: 8MB}
                        """, Map.of()))
                .hasMessageContaining("faults[0].rate")
                .hasMessageContaining("expected bytes a second such as 8KB");
        assertThatThrownBy(() -> load("""
                        server: {mode: process}
                        faults:
                          - {kind: kill, at: 10s, share: 0.5}
                        """, Map.of()))
                .hasMessageContaining("only a slowReaders fault takes a share and a rate");
    }
}
