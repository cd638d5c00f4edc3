package io.switchboard.cli;

import io.switchboard.simulator.report.Figures;
import io.switchboard.simulator.report.ReportRenderer;
import io.switchboard.simulator.report.ResultsReader;
import io.switchboard.simulator.report.RunReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard compare DIR...}: a side-by-side table of runs, and an HTML report of them. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Compares runs side by side: prints a table and writes OUT/<yyyyMMdd-HHmmss>-comparison/report.html.",
            "Each DIR is a run directory or a scenario directory with variants (every variant is compared)."
        })
final class CompareCommand implements Callable<Integer> {
    private static final String[] HEADER = {
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
        "dup to app",
        "reordered",
        "receipt errors"
    };
    private static final String[] FIGURES = {
        "throughput.sentPerSec",
        "throughput.deliveredPerSec",
        "latencyMicros.send2deliver.p50",
        "latencyMicros.send2deliver.p99",
        "latencyMicros.send2deliver.p999",
        "latencyMicros.send2deliver.max",
        "oracle.lost",
        "oracle.undeliveredAtEnd",
        "oracle.duplicatesInSession",
        "oracle.duplicatesToApp",
        "oracle.reordered",
        "oracle.receiptErrors"
    };

    @Parameters(
            arity = "1..*",
            paramLabel = "DIR",
            description = "Run directories or scenario directories with variants.")
    private List<Path> dirs;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "results",
            description = "Where the comparison directory goes (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<RunReport> runs = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        try {
            for (Path dir : dirs) {
                for (Path run : ResultsReader.runDirectories(dir)) {
                    runs.add(ResultsReader.readRun(run));
                    labels.add(run.equals(dir) ? name(dir) : name(dir) + "/" + name(run));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("switchboard compare: " + e.getMessage());
            return 2;
        }
        printTable(runs, labels, spec.commandLine().getOut());
        Path directory =
                out.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-comparison");
        Files.createDirectories(directory);
        Path report = directory.resolve("report.html");
        Files.writeString(report, new ReportRenderer(directory).render(runs, labels), StandardCharsets.UTF_8);
        spec.commandLine().getOut().println("report: " + report);
        return 0;
    }

    private static String name(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }

    private static void printTable(List<RunReport> runs, List<String> labels, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (int i = 0; i < runs.size(); i++) {
            String[] row = new String[HEADER.length];
            row[0] = labels.get(i);
            for (int c = 0; c < FIGURES.length; c++) {
                row[c + 1] = Figures.text(runs.get(i).summary(), FIGURES[c]);
            }
            rows.add(row);
        }
        int[] widths = new int[HEADER.length];
        rows.forEach(row -> {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        });
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(String.format("%-" + widths[0] + "s", row[0]));
            for (int c = 1; c < row.length; c++) {
                line.append("  ").append(String.format("%" + widths[c] + "s", row[c]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
