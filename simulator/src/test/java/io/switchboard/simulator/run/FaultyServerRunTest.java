package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * From a faulty server to a failing {@code run}: the embedded server behind a {@link FaultyProxy} on loopback, which
 * loses, copies or reorders {@code msg} frames or sends {@code delivered} receipts early. {@code run} must exit 1, and
 * the objective of that fault must fail with exactly the number of faults the proxy made while the others hold.
 */
@Timeout(120)
class FaultyServerRunTest {
    /** The objective each fault must fail, by the count that measures it. */
    private static final Map<FaultyProxy.Fault, String> COUNTED_AS = Map.of(
            FaultyProxy.Fault.LOSE, "lost",
            FaultyProxy.Fault.COPY, "duplicatesInSession",
            FaultyProxy.Fault.EARLY_RECEIPT, "receiptErrors",
            FaultyProxy.Fault.REORDER, "reordered");

    private static final List<String> FAULT_COUNTS =
            List.of("lost", "duplicatesInSession", "duplicatesToApp", "reordered", "receiptErrors");

    @TempDir
    Path out;

    private JsonNode run(FaultyProxy proxy, int expectedExit) throws IOException {
        Path scenario = Files.writeString(out.resolve("faults.yaml"), """
                # Question: does a faulty server fail the run?
                name: faults
                seed: 42
                users: 10
                transport: websocket
                duration: 3s
                warmup: 1s
                drain: 3s
                messages: {rate: 300, readShare: 0.5}
                slo:
                  - lost == 0
                  - duplicatesInSession == 0
                  - duplicatesToApp == 0
                  - reordered == 0
                  - receiptErrors == 0
                """);
        Path runs = out.resolve("runs");
        int exit = new CommandLine(new RunCommand(proxy)).execute(scenario.toString(), "--out", runs.toString());
        assertThat(exit).isEqualTo(expectedExit);
        try (Stream<Path> dirs = Files.list(runs)) {
            return new ObjectMapper()
                    .readTree(dirs.findFirst()
                            .orElseThrow()
                            .resolve("summary.json")
                            .toFile());
        }
    }

    @Test
    void shouldPassThroughAProxyThatDoesNoHarm() throws IOException {
        try (FaultyProxy harmless = new FaultyProxy(FaultyProxy.Fault.LOSE, Integer.MAX_VALUE)) {
            JsonNode summary = run(harmless, 0);
            assertThat(harmless.injected()).isZero();
            assertThat(summary.at("/oracle/delivered").asLong()).isPositive();
            for (String count : FAULT_COUNTS) {
                assertThat(summary.at("/oracle/" + count).asLong()).as(count).isZero();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FaultyProxy.Fault.class)
    void shouldFailTheRunWithExactlyTheCountOfTheFaultsTheServerMade(FaultyProxy.Fault fault) throws IOException {
        try (FaultyProxy proxy = new FaultyProxy(fault, 50)) {
            JsonNode summary = run(proxy, 1);
            long injected = proxy.injected();
            assertThat(injected).as("faults made").isPositive();
            String counted = COUNTED_AS.get(fault);
            assertThat(summary.at("/oracle/" + counted).asLong()).as(counted).isEqualTo(injected);
            for (String other : FAULT_COUNTS) {
                if (!other.equals(counted)) {
                    assertThat(summary.at("/oracle/" + other).asLong())
                            .as(other)
                            .isZero();
                }
            }
            for (JsonNode slo : summary.get("slos")) {
                boolean ofThisFault = slo.get("text").asText().startsWith(counted + " ");
                assertThat(slo.get("ok").asBoolean())
                        .as(slo.get("text").asText())
                        .isEqualTo(!ofThisFault);
            }
        }
    }
}
