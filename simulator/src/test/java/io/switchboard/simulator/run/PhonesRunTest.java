package io.switchboard.simulator.run;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * Phones, end to end on an embedded server: in the background ({@code devices.background}) they go idle, the server's
 * {@code sim} platform pushes them when a message waits, and they come back only then, after the modelled delay; and
 * they send media ({@code messages.mediaShare}) that every recipient device downloads and checks.
 */
@Timeout(180)
class PhonesRunTest {
    @TempDir
    Path out;

    /** The run's results directory. */
    private Path run(String scenario) throws IOException {
        Path file = Files.writeString(out.resolve("phones.yaml"), scenario);
        Path results = out.resolve("results");
        new CommandLine(new RunCommand()).execute(file.toString(), "--out", results.toString());
        try (Stream<Path> dirs = Files.list(results)) {
            List<Path> all = dirs.toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    /**
     * Half the phones sleep after 300 ms without a message; every message still arrives, each sleeping phone comes back
     * only by a push, and a message that waited for a wake is timed with the modelled delay (median 50 ms) apart.
     */
    @Test
    void shouldWakeBackgroundPhonesOnlyByPushAndDeliverEveryMessage() throws IOException {
        Path results = run("""
                # Question: do phones in the background get every message, woken by push alone?
                name: phones
                seed: 7
                users: 40
                transport: in-process
                warmup: 1s
                duration: 4s
                drain: 15s
                messages:
                  rate: 40
                  readShare: 0
                churn:
                  online: 0.5
                  sessionLength: 1s
                devices:
                  background: 0.5
                  idleAfter: 300ms
                  wakeDelay: 50ms
                  wakeDelayP95: 200ms
                """);
        JsonNode summary =
                new ObjectMapper().readTree(results.resolve("summary.json").toFile());
        assertThat(summary.get("drainSettled").asBoolean()).isTrue();
        assertThat(summary.at("/oracle/lost").asLong()).isZero();
        assertThat(summary.at("/oracle/undeliveredAtEnd").asLong()).isZero();
        assertThat(summary.at("/oracle/duplicatesToApp").asLong()).isZero();
        JsonNode wake = summary.get("pushWake");
        assertThat(wake.get("idleLogouts").asLong()).isPositive();
        assertThat(wake.get("wakes").asLong())
                .isPositive()
                .isLessThanOrEqualTo(wake.get("pushesTaken").asLong());
        assertThat(wake.get("wokenWithoutPush").asLong()).isZero();
        assertThat(wake.get("wokenDeliveries").asLong()).isPositive();
        assertThat(wake.at("/modelledDelayMicros/p50").asLong()).isBetween(25_000L, 100_000L);
        assertThat(wake.at("/serverPartMicros/p50").asLong())
                .isLessThan(wake.at("/send2deliverMicros/p50").asLong());
        assertThat(Files.readString(results.resolve("report.html")))
                .contains("phones woken by push", "modelled push delay");
    }

    /**
     * Every blob a message names is stored, fetched by each recipient device and found intact; every message arrives.
     * With {@code encryption: signal} the media key and digests travel inside the Signal envelope, so only a recipient
     * that opened it can check the blob; with {@code media.store: s3proxy} the server keeps blobs in an S3Proxy the
     * simulator started. A transfer the server refuses for now (503 while its media transfers are all busy, as
     * against a cold S3Proxy) is sent again after its {@code Retry-After}, so none fails.
     */
    @ParameterizedTest(name = "encryption {0}, store {1}")
    @CsvSource({"none, fs", "signal, fs", "none, s3proxy"})
    void shouldUploadEncryptedBlobsThatEveryRecipientDeviceDownloadsAndVerifies(String encryption, String store)
            throws IOException {
        Path results = run("""
                # Question: does every recipient get intact media?
                name: phones
                seed: 9
                users: 20
                devicesPerUser: 2
                encryption: %s
                warmup: 1s
                duration: 3s
                drain: 15s
                messages:
                  rate: 20
                  readShare: 0
                  mediaShare: 0.5
                  mediaBytes: 1000..200000
                server:
                  media.store: %s
                """.formatted(encryption, store));
        JsonNode summary =
                new ObjectMapper().readTree(results.resolve("summary.json").toFile());
        assertThat(summary.get("drainSettled").asBoolean()).isTrue();
        assertThat(summary.at("/oracle/lost").asLong()).isZero();
        JsonNode media = summary.get("media");
        assertThat(media.get("uploads").asLong()).isPositive();
        // Two devices per recipient: each downloads each blob its user was sent.
        assertThat(media.get("downloadFailures").asLong()).isZero();
        assertThat(media.get("verified").asLong())
                .isEqualTo(
                        2 * (media.get("uploads").asLong() - media.get("unsent").asLong()));
        assertThat(media.get("corrupt").asLong()).isZero();
        assertThat(media.get("storedBytesPerMessage").asLong()).isPositive();
        assertThat(media.get("downloadMBps").asDouble()).isPositive();
        assertThat(Files.readString(results.resolve("report.html"))).contains("<h3>media</h3>", "downloadMBps");
    }
}
