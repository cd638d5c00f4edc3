package io.switchboard.cli;

import static io.switchboard.simulator.report.ResultsFixture.writeRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code switchboard report DIR} in-process. */
class ReportCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ReportCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldWriteTheReportOfARunAndPrintItsPath() throws IOException {
        writeRun(dir, "fanout", "default", 20_000, 1, 0);

        assertThat(run(dir.toString())).isZero();

        Path report = dir.resolve("report.html");
        assertThat(out.toString().strip()).isEqualTo(report.toString());
        assertThat(Files.readString(report)).contains("<h1>fanout</h1>", "20,000", "<figure class=\"chart\"");
    }

    @Test
    void shouldReportEveryVariantOfAScenarioDirectoryOnOnePage() throws IOException {
        writeRun(dir.resolve("sharded"), "fanout", "sharded", 20_000, 1, 0);
        writeRun(dir.resolve("locked"), "fanout", "locked", 15_000, 2, 0);

        assertThat(run(dir.toString())).isZero();

        assertThat(Files.readString(dir.resolve("report.html"))).contains(">sharded<", ">locked<", "Side by side");
        assertThat(dir.resolve("sharded/report.html")).doesNotExist();
    }

    @Test
    void shouldExitWith2NamingADirectoryThatIsNotResults() throws IOException {
        Path notResults = Files.createDirectories(dir.resolve("not-results"));

        assertThat(run(notResults.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("switchboard report:", notResults.toString(), "not a results directory");
        assertThat(notResults.resolve("report.html")).doesNotExist();
    }

    @Test
    void shouldDescribeItself() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("DIR", "report.html");
    }
}
