package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.simulator.fault.DataDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code run} of a scenario whose server is a process of its own ({@code server.mode: process}) and is killed with
 * SIGKILL under load: the clients come back, send again what was never acknowledged, and the oracle finds nothing
 * acknowledged lost, nothing shown twice, nothing out of order, and in the end every message acknowledged. (Receipts
 * are not held to zero here: a kill loses a few delivered receipts, a finding of the server's, not the simulator's.)
 */
@Tag("slow")
@Timeout(300)
class ServerKillRunIT {
    @TempDir
    Path out;

    private JsonNode run(String faults) throws IOException {
        Path scenario = Files.writeString(out.resolve("kill.yaml"), """
                # Question: does a run survive its server's SIGKILL with nothing acknowledged lost?
                name: kill
                seed: 7
                users: 40
                duration: 12s
                warmup: 1s
                drain: 15s
                messages: {rate: 200, readShare: 0.5, groupShare: 0.3}
                groups: {count: 4, size: 4..10}
                server:
                  mode: process
                %s
                slo:
                  - lost == 0
                  - duplicatesInSession == 0
                  - duplicatesToApp == 0
                  - reordered == 0
                  - sendErrors == 0
                """.formatted(faults));
        Path runs = out.resolve("runs");
        int exit = new CommandLine(new RunCommand()).execute(scenario.toString(), "--out", runs.toString());
        try (Stream<Path> dirs = Files.list(runs)) {
            JsonNode summary = new ObjectMapper()
                    .readTree(dirs.findFirst()
                            .orElseThrow()
                            .resolve("summary.json")
                            .toFile());
            assertThat(exit).as(summary.toPrettyString()).isZero();
            return summary;
        }
    }

    @Test
    void shouldScrapeTheServerProcessMetricsIntoTheSummary() throws IOException {
        JsonNode summary = run("");

        assertThat(summary.at("/oracle/delivered").asLong()).isPositive();
        assertThat(summary.at("/serverCounters").size()).isPositive();
        assertThat(summary.at("/serverCounters").toString()).contains("\"messages");
        assertThat(summary.at("/gc/heapUsedBytes").asLong()).isPositive();
        assertThat(summary.has("faults")).isFalse();
        // The server process's own heap (from its /metrics) and journal, each second of the 13 s of sending.
        JsonNode resources = summary.at("/resources");
        assertThat(resources.at("/heapLowBytes").size())
                .as(resources.toString())
                .isEqualTo(13);
        resources.at("/heapLowBytes").forEach(heap -> assertThat(heap.asLong()).isPositive());
        assertThat(resources.at("/journalBytes/12").asLong()).isPositive();
        assertThat(resources.at("/heapGrowthPct").isNumber())
                .as(resources.toString())
                .isTrue();
    }

    @Test
    void shouldLoseNothingAcknowledgedWhenTheServerIsKilledTwiceUnderLoad() throws IOException {
        JsonNode summary = run("""
                faults:
                  - {kind: kill, at: 3s, for: 500ms}
                  - {kind: kill, at: 9s}
                """);

        JsonNode faults = summary.at("/faults");
        assertThat(faults.size()).isEqualTo(2);
        for (JsonNode fault : faults) {
            assertThat(fault.at("/kind").asText()).isEqualTo("kill");
            assertThat(fault.at("/recoveryMs").asLong()).as(fault.toString()).isPositive();
            assertThat(fault.at("/ackedBefore").asLong()).isPositive();
        }
        assertThat(faults.get(1).at("/ackedBefore").asLong())
                .isGreaterThan(faults.get(0).at("/ackedBefore").asLong());
        assertThat(summary.at("/oracle/lost").asLong()).isZero();
        assertThat(summary.at("/oracle/acked").asLong())
                .as("every message acknowledged in the end, those sent again too")
                .isEqualTo(summary.at("/oracle/sent").asLong());
    }

    /**
     * The server's data directory, a tmpfs of the run's own, is filled to its last byte for 4 s under load: the server
     * refuses sends rather than acknowledging what it cannot store, loses nothing it acknowledged, and takes sends again
     * within moments of the space coming back. Skipped where a tmpfs cannot be mounted (not root).
     */
    @Test
    void shouldRefuseSendsWhileTheDiskIsFullAndTakeThemAgainWithNothingLost() throws Exception {
        assumeTmpfsMounts();
        JsonNode summary = run("""
                faults:
                  - {kind: diskFull, at: 4s, for: 4s}
                """);

        JsonNode fault = summary.at("/faults/0");
        assertThat(fault.at("/kind").asText()).isEqualTo("diskFull");
        assertThat(fault.at("/filledBytes").asLong()).as(fault.toString()).isPositive();
        assertThat(fault.at("/sendsRefused").asLong()).as(fault.toString()).isPositive();
        assertThat(fault.at("/journalRefusedSends").asLong())
                .as(fault.toString())
                .isNotNegative();
        assertThat(fault.at("/resumedMs").asLong()).as(fault.toString()).isBetween(0L, 3_000L);
        assertThat(summary.at("/oracle/refused").asLong()).isPositive();
        assertThat(summary.at("/oracle/lost").asLong()).isZero();
        assertThat(summary.at("/serverCounters/messages.accepted").asLong())
                .as("sends taken after the space came back")
                .isGreaterThan(fault.at("/ackedBefore").asLong());
    }

    private void assumeTmpfsMounts() throws Exception {
        try (DataDisk disk = DataDisk.mount(out.resolve("probe"), 1 << 20)) {
            assertThat(disk.bytes()).isPositive();
        } catch (IllegalStateException notRoot) {
            assumeTrue(false, notRoot.getMessage());
        }
    }

    /**
     * A quarter of the devices read at 200 B/s for 6 s, a few hundred bytes a message: their messages wait seconds
     * while the others' are delivered as before, and nothing acknowledged is lost to the slow ones.
     */
    @Test
    void shouldPaceTheSlowReadersAndServeTheOthersWithNothingLost() throws IOException {
        JsonNode summary = run("""
                faults:
                  - {kind: slowReaders, at: 4s, for: 6s, share: 0.25, rate: 200B}
                """);

        JsonNode fault = summary.at("/faults/0");
        assertThat(fault.at("/kind").asText()).isEqualTo("slowReaders");
        assertThat(fault.at("/slowDevices").asInt()).as(fault.toString()).isBetween(4, 20);
        assertThat(fault.at("/slowDuringP99Ms").asDouble()).as(fault.toString()).isGreaterThan(2_000);
        assertThat(fault.at("/othersDuringP99Ms").asDouble())
                .as(fault.toString())
                .isBetween(0.0, 500.0);
        assertThat(fault.at("/othersDuringDeliveries").asLong()).isPositive();
        assertThat(fault.at("/serverHeapHighWaterBytes").asLong()).isPositive();
        assertThat(summary.at("/oracle/lost").asLong()).isZero();
        assertThat(summary.at("/oracle/acked").asLong())
                .isEqualTo(summary.at("/oracle/sent").asLong());
    }
}
