package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.ResultsFixture.writeRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.simulator.report.RunReport.PercentilePoint;
import io.switchboard.simulator.report.RunReport.Second;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results directories written by hand read back into the report model. */
class ResultsReaderTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadARunDirectory() throws IOException {
        writeRun(dir, "fanout", "default", 20_000, 1, 3);

        List<RunReport> runs = ResultsReader.read(dir);

        assertThat(runs).hasSize(1);
        RunReport run = runs.get(0);
        assertThat(run.summary()).containsEntry("scenario", "fanout").containsEntry("variant", "default");
        assertThat(Figures.number(run.summary(), "throughput.deliveredPerSec")).isEqualTo(20_000);
        assertThat(Figures.number(run.summary(), "oracle.lost")).isEqualTo(3);
        assertThat(run.timeline())
                .containsExactly(
                        new Second(0, 20_005, 19_990, 980),
                        new Second(1, 20_005, 20_000, 990),
                        new Second(2, 20_005, 20_010, 995));
        // two intervals (1..500 and 501..1000 µs) merged; values below 2048 are exact at 3 significant digits
        assertThat(run.send2deliver())
                .containsExactly(
                        new PercentilePoint(0, 1),
                        new PercentilePoint(50, 500),
                        new PercentilePoint(75, 750),
                        new PercentilePoint(90, 900),
                        new PercentilePoint(95, 950),
                        new PercentilePoint(99, 990),
                        new PercentilePoint(99.5, 995),
                        new PercentilePoint(99.9, 999),
                        new PercentilePoint(99.95, 1000),
                        new PercentilePoint(99.99, 1000),
                        new PercentilePoint(100, 1000));
    }

    @Test
    void shouldReadVariantsByName() throws IOException {
        writeRun(dir.resolve("sharded"), "fanout", "sharded", 20_000, 1, 0);
        writeRun(dir.resolve("locked"), "fanout", "locked", 15_000, 2, 0);
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("scenario.yaml"), "name: fanout\n");

        assertThat(ResultsReader.read(dir))
                .extracting(r -> r.summary().get("variant"))
                .containsExactly("locked", "sharded");
    }

    @Test
    void shouldKeepTheOrderOfVariantsTxtAndAppendUnlistedVariants() throws IOException {
        writeRun(dir.resolve("a"), "fanout", "a", 1, 1, 0);
        writeRun(dir.resolve("b"), "fanout", "b", 2, 1, 0);
        writeRun(dir.resolve("c"), "fanout", "c", 3, 1, 0);
        Files.writeString(dir.resolve("variants.txt"), "# run order\nc\n\na\n");

        assertThat(ResultsReader.read(dir))
                .extracting(r -> r.summary().get("variant"))
                .containsExactly("c", "a", "b");
    }

    @Test
    void shouldReadARunWithoutHistogramLogOrTimeSeriesAsEmpty() throws IOException {
        writeRun(dir, "fanout", "default", 20_000, 1, 0);
        Files.delete(dir.resolve("send2deliver.hlog"));
        Files.delete(dir.resolve("timeseries.csv"));

        RunReport run = ResultsReader.readRun(dir);

        assertThat(run.send2deliver()).isEmpty();
        assertThat(run.timeline()).isEmpty();
    }

    @Test
    void shouldReadAnEmptyHistogramLogAsAnEmptyDistribution() throws IOException {
        writeRun(dir, "fanout", "default", 20_000, 1, 0);
        Files.writeString(dir.resolve("send2deliver.hlog"), "");

        assertThat(ResultsReader.readRun(dir).send2deliver()).isEmpty();
    }

    @Test
    void shouldRefuseADirectoryThatIsNotResultsNamingIt() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("holiday-photos"));
        Files.writeString(empty.resolve("beach.txt"), "sand");

        assertThatThrownBy(() -> ResultsReader.read(empty))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString())
                .hasMessageContaining("not a results directory");
        assertThatThrownBy(() -> ResultsReader.read(dir.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void shouldRefuseASummaryThatIsNotAScenarioRun() throws IOException {
        Files.writeString(dir.resolve("summary.json"), "{\"pairs\": 100, \"runs\": []}");

        assertThatThrownBy(() -> ResultsReader.read(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("summary.json").toString())
                .hasMessageContaining("scenario");
    }

    @Test
    void shouldRefuseMalformedJsonNamingTheFile() throws IOException {
        Files.writeString(dir.resolve("summary.json"), "{\"scenario\": ");

        assertThatThrownBy(() -> ResultsReader.read(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(dir.resolve("summary.json").toString());
    }

    @Test
    void shouldRefuseABadTimeSeriesNamingFileAndLine() throws IOException {
        writeRun(dir, "fanout", "default", 20_000, 1, 0);
        Path csv = dir.resolve("timeseries.csv");

        Files.writeString(csv, "second,sent,delivered\n0,1,1\n");
        assertThatThrownBy(() -> ResultsReader.read(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(csv.toString())
                .hasMessageContaining("p99Micros");

        Files.writeString(csv, "second,sent,delivered,p99Micros\n0,1,1,5\n1,x,1,5\n");
        assertThatThrownBy(() -> ResultsReader.read(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(csv + " line 3");
    }

    @Test
    void shouldRefuseAVariantsTxtNamingAMissingVariant() throws IOException {
        writeRun(dir.resolve("a"), "fanout", "a", 1, 1, 0);
        Files.writeString(dir.resolve("variants.txt"), "a\nzz\n");

        assertThatThrownBy(() -> ResultsReader.read(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("variants.txt")
                .hasMessageContaining("zz");
    }

    @Test
    void shouldRefuseAGarbledHistogramLogNamingIt() throws IOException {
        writeRun(dir, "fanout", "default", 20_000, 1, 0);
        Files.writeString(dir.resolve("send2deliver.hlog"), "0.000,1.000,1000.0,notbase64!!\n");

        assertThatThrownBy(() -> ResultsReader.read(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("send2deliver.hlog").toString());
    }
}
