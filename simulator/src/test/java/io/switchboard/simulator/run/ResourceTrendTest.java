package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a soak's objectives read: the journal's bytes bucketed over the sending, and whether their floor still rises at the end. */
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
        // Floors of the fifth sixth (buckets 20..24: 42 KiB) and of the last (25..29: 52 KiB), doubled to a third.
        assertThat((Double) grown.get("journalGrowthPct")).isEqualTo(200.0 * (52 - 42) / 42);

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
    void shouldTakeAJournalThatFilledUntilLateAndThenLevelledOffAsNotGrowing() {
        // soak.yaml's reference run (results/reference/20261206-soak-process), MiB a minute: the journal fills its
        // retention window until minute 24, then saws between 2.1 and 2.75 GiB as five-minute files go.
        long[] journal = {
            160, 448, 576, 704, 832, 960, 1248, 1376, 1376, 1504, 1632, 1904, 2032, 1888, 2016, 2144, 2224, 2352, 2352,
            2480, 2608, 2624, 2752, 2752, 2144, 2272, 2688, 2416, 2416, 2144
        };
        assertThat(ResourceTrend.growthPct(journal)).isZero();
    }

    @Test
    void shouldSeeALeakUnderTheSawOfWholeFilesGoingButNotTheSawAlone() {
        long[] saw = new long[30];
        long[] leakingSaw = new long[30];
        for (int minute = 0; minute < saw.length; minute++) {
            saw[minute] = 2_000 + (minute % 5) * 150;
            leakingSaw[minute] = saw[minute] + 40L * minute;
        }
        assertThat(ResourceTrend.growthPct(saw)).isZero();
        // The floor rises 200 (40 a minute) from 2,800 to 3,000 between the last two sixths: 14% over a third.
        assertThat(ResourceTrend.growthPct(leakingSaw)).isCloseTo(200.0 * 200 / 2_800, within(1e-9));
    }

    @Test
    void shouldCountGrowthFromNothingAsPastAnyObjective() {
        assertThat(ResourceTrend.growthPct(new long[] {0, 0, 0, 0, 0, 0, 0, 1 << 20, 1 << 20}))
                .isGreaterThan(1e6);
    }

    @Test
    void shouldCountTheBytesOfEveryFileUnderTheDirectory() throws IOException {
        Files.write(Files.createDirectories(journal.resolve("a")).resolve("x"), new byte[100]);
        Files.write(journal.resolve("y"), new byte[23]);
        assertThat(ResourceTrend.bytesUnder(journal)).isEqualTo(123);
    }
}
