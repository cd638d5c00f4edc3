package io.switchboard.cli;

import static io.switchboard.simulator.report.ResultsFixture.writeRun;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code switchboard compare DIR...} in-process. */
class CompareCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new CompareCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldPrintARowPerRunAndWriteTheComparisonReport() throws IOException {
        Path before = writeRun(dir.resolve("20250101-120000-fanout"), "fanout", "default", 20_000, 1, 0);
        Path after = writeRun(dir.resolve("20250102-120000-fanout"), "fanout", "default", 15_000, 3, 7);
        Path results = dir.resolve("results");

        assertThat(run("--out", results.toString(), before.toString(), after.toString()))
                .isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0))
                .contains(
                        "run",
                        "sent/s",
                        "delivered/s",
                        "p50 µs",
                        "p99 µs",
                        "p99.9 µs",
                        "max µs",
                        "lost",
                        "undelivered at end",
                        "dup in session",
                        "dup to app")
                .contains("reordered", "receipt errors");
        assertThat(lines.get(1))
                .startsWith("20250101-120000-fanout")
                .contains("20,005", "20,000", "500", "990", "999", "1,000");
        assertThat(lines.get(2))
                .startsWith("20250102-120000-fanout")
                .contains("15,000", "1,500", "2,970", "2,997", "3,000");
        assertThat(lines.get(2).split("\\s+"))
                // lost, undelivered at end, dup in session, dup to app, reordered, receipt errors
                .endsWith("7", "2", "0", "0", "0", "0");
        List<Path> written;
        try (Stream<Path> children = Files.list(results)) {
            written = children.toList();
        }
        assertThat(written)
                .singleElement()
                .satisfies(d -> assertThat(d.getFileName().toString()).matches("\\d{8}-\\d{6}-comparison"));
        Path report = written.get(0).resolve("report.html");
        assertThat(lines.get(3)).isEqualTo("report: " + report);
        assertThat(Files.readString(report))
                .contains(">20250101-120000-fanout<", ">20250102-120000-fanout<", "Side by side")
                .contains("<dd class=\"bad\">7</dd>");
    }

    @Test
    void shouldCompareEveryVariantOfAScenarioDirectory() throws IOException {
        Path scenario = dir.resolve("20250101-120000-fanout");
        writeRun(scenario.resolve("sharded"), "fanout", "sharded", 20_000, 1, 0);
        writeRun(scenario.resolve("locked"), "fanout", "locked", 15_000, 2, 0);
        Path single = writeRun(dir.resolve("20250102-120000-fanout"), "fanout", "default", 18_000, 1, 0);

        assertThat(run("--out", dir.resolve("results").toString(), scenario.toString(), single.toString()))
                .isZero();

        assertThat(out.toString())
                .contains("20250101-120000-fanout/locked", "20250101-120000-fanout/sharded")
                .contains("20250102-120000-fanout ", "18,000");
    }

    @Test
    void shouldExitWith2NamingADirectoryThatIsNotResults() throws IOException {
        Path good = writeRun(dir.resolve("good"), "fanout", "default", 20_000, 1, 0);
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Path results = dir.resolve("results");

        assertThat(run("--out", results.toString(), good.toString(), bad.toString()))
                .isEqualTo(2);

        assertThat(err.toString()).contains("switchboard compare:", bad.toString(), "not a results directory");
        assertThat(results).doesNotExist();
    }

    @Test
    void shouldDescribeItself() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--out", "DIR", "comparison");
    }
}
