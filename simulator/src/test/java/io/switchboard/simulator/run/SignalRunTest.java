package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code encryption: signal} end to end: scenarios/e2ee.yaml, shortened, runs both its variants against real servers,
 * and with Signal sessions every device still opens every message it is owed, one-to-one and in groups.
 */
@Timeout(300)
class SignalRunTest {
    @TempDir
    Path out;

    @Test
    void shouldDeliverEveryEncryptedMessageOpenedByEveryDeviceWithKeysFetchedAndRefilled() throws IOException {
        int exit = runE2ee("first-contact");
        Path run = onlyRun();
        JsonNode none = summary(run.resolve("none"));
        JsonNode signal = summary(run.resolve("signal"));
        for (JsonNode summary : new JsonNode[] {none, signal}) {
            assertThat(summary.at("/oracle/sent").asLong()).isPositive();
            assertThat(summary.at("/oracle/lost").asLong()).isZero();
            assertThat(summary.at("/oracle/unreadable").asLong()).isZero();
            assertThat(summary.at("/oracle/receiptErrors").asLong()).isZero();
            assertThat(summary.at("/oracle/sendErrors").asLong()).isZero();
            assertThat(summary.at("/oracle/neverAcked").asLong()).isZero();
            assertThat(summary.at("/drainSettled").asBoolean()).isTrue();
        }
        assertThat(signal.at("/oracle/sent").asLong())
                .isEqualTo(none.at("/oracle/sent").asLong());
        assertThat(none.at("/client/encryption").asText()).isEqualTo("none");
        assertThat(none.at("/client/keyFetches").asLong()).isZero();
        assertThat(signal.at("/client/encryption").asText()).isEqualTo("signal");
        assertThat(signal.at("/client/keyFetches").asLong()).isPositive();
        assertThat(signal.at("/serverCounters/keys.fetches").asLong()).isPositive();
        // A Signal envelope carries a ratchet header and a MAC, and a first contact a whole PQXDH pre-key message.
        assertThat(signal.at("/client/wireBytesPerMessage").asLong())
                .isGreaterThan(none.at("/client/wireBytesPerMessage").asLong());
        assertThat(signal.at("/client/cryptoMicrosPerMessage").asDouble()).isPositive();
        assertThat(exit).isIn(0, 1); // p99 on this shared machine is a figure, not something a test holds
    }

    @Test
    void shouldFetchNoKeyInTheRunWhenSessionsAreEstablishedBeforeIt() throws IOException {
        runE2ee("established");
        Path run = onlyRun();
        JsonNode signal = summary(run.resolve("signal"));
        assertThat(signal.at("/oracle/sent").asLong()).isPositive();
        assertThat(signal.at("/oracle/lost").asLong()).isZero();
        assertThat(signal.at("/oracle/unreadable").asLong()).isZero();
        assertThat(signal.at("/oracle/sendErrors").asLong()).isZero();
        assertThat(signal.at("/drainSettled").asBoolean()).isTrue();
        // Every bundle was fetched, and every sender key handed out, before the warm-up: none inside the run.
        assertThat(signal.at("/client/keyFetches").asLong()).isZero();
        assertThat(signal.at("/serverCounters/keys.fetches").asLong()).isZero();
    }

    /** scenarios/e2ee.yaml, shortened to a few seconds of 30 users, with {@code sessions} as given. */
    private int runE2ee(String sessions) {
        return new CommandLine(new RunCommand())
                .execute(
                        Path.of("..", "scenarios", "e2ee.yaml").toString(),
                        "--out",
                        out.toString(),
                        "--jvm-warmup",
                        "0",
                        "--set",
                        "sessions=" + sessions,
                        "--set",
                        "users=30",
                        "--set",
                        "messages.rate=150",
                        "--set",
                        "warmup=1s",
                        "--set",
                        "duration=3s",
                        "--set",
                        "groups.count=6",
                        "--set",
                        "contacts.perUser=5");
    }

    private Path onlyRun() throws IOException {
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.findFirst().orElseThrow();
        }
    }

    private static JsonNode summary(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
    }
}
