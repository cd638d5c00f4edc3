package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a soak's objectives read: the journal's bytes bucketed over the sending, and the growth between thirds. */
class ResourceTrendTest {
    @TempDir
    Path journal;

    @Test
    void shouldSeeAJournalThatKeepsGrowingAndOneThatStaysFlat() throws Exception {
        Path file = Files.createDirectories(journal.resolve("shard-0")).resolve("20261206.cq4");
        ResourceTrend growing = new ResourceTrend(journal, Duration.ofSeconds(60));
        for (int second = 0; second < 60; second++) {
            Files.write(file, new byte[(second + 1) * 1024]);
            growing.sample();
        }
        Map<String, Object> grown = growing.stop();
        assertThat(grown.get("bucketSeconds")).isEqualTo(2L);
        assertThat((long[]) grown.get("journalBytes"))
                .hasSize(30)
                .startsWith(2 * 1024)
                .endsWith(60 * 1024);
        // Medians of the middle third (buckets 10..19: 22..40 KiB) and of the last (20..29: 42..60 KiB).
        assertThat((Double) grown.get("journalGrowthPct")).isEqualTo(100.0 * (52 - 32) / 32);

        ResourceTrend flat = new ResourceTrend(journal, Duration.ofSeconds(60));
        for (int second = 0; second < 90; second++) {
            flat.sample();
        }
        Map<String, Object> same = flat.stop();
        assertThat((long[]) same.get("journalBytes"))
                .as("no sample past the sending")
                .hasSize(30);
        assertThat((Double) same.get("journalGrowthPct")).isZero();
        assertThat(Arrays.stream((long[]) same.get("heapLowBytes")).min().orElseThrow())
                .isPositive();
    }

    @Test
    void shouldGiveNoGrowthButTheFailureWhenAReadingFails() throws InterruptedException {
        long[] heap = {100};
        ResourceTrend failing = new ResourceTrend(journal, Duration.ofSeconds(60), () -> {
            if (heap[0] == 130) {
                throw new java.io.IOException("the server's /metrics did not answer");
            }
            return heap[0]++;
        });
        for (int second = 0; second < 60; second++) {
            failing.sample();
        }
        Map<String, Object> figures = failing.stop();

        assertThat((long[]) figures.get("heapLowBytes"))
                .as("the buckets before the failure")
                .hasSize(15);
        assertThat((Double) figures.get("heapGrowthPct")).isNaN();
        assertThat((Double) figures.get("journalGrowthPct")).isNaN();
        assertThat(figures.get("samplingFailed").toString())
                .contains("at second 30")
                .contains("did not answer");
    }

    @Test
    void shouldNotTellAGrowthFromFewerThanSixBucketsNorFailWithoutAJournal() throws InterruptedException {
        ResourceTrend shortRun = new ResourceTrend(journal.resolve("absent"), Duration.ofSeconds(5));
        for (int second = 0; second < 5; second++) {
            shortRun.sample();
        }
        Map<String, Object> figures = shortRun.stop();
        assertThat((long[]) figures.get("journalBytes")).containsOnly(0L);
        assertThat((Double) figures.get("heapGrowthPct")).isNaN();
    }

    @Test
    void shouldCountGrowthFromNothingAsPastAnyObjective() {
        assertThat(ResourceTrend.growthPct(new long[] {0, 0, 0, 0, 0, 0, 1 << 20, 1 << 20, 1 << 20}))
                .isGreaterThan(1e6);
    }

    @Test
    void shouldCountTheBytesOfEveryFileUnderTheDirectory() throws IOException {
        Files.write(Files.createDirectories(journal.resolve("a")).resolve("x"), new byte[100]);
        Files.write(journal.resolve("y"), new byte[23]);
        assertThat(ResourceTrend.bytesUnder(journal)).isEqualTo(123);
    }
}
