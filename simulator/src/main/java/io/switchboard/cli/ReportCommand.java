package io.switchboard.cli;

import io.switchboard.simulator.report.ReportRenderer;
import io.switchboard.simulator.report.ResultsReader;
import io.switchboard.simulator.report.RunReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code switchboard report DIR}: re-renders a results directory's report.html from its files. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Re-renders DIR/report.html from DIR's summary.json, timeseries.csv and send2deliver.hlog",
            "(or from each variant directory's, side by side). See results/README.md for the layout."
        })
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "A run directory, or a scenario directory with variants.")
    private Path dir;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        List<RunReport> runs;
        try {
            runs = ResultsReader.read(dir);
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("switchboard report: " + e.getMessage());
            return 2;
        }
        Path report = dir.resolve("report.html");
        Files.writeString(report, new ReportRenderer(dir).render(runs), StandardCharsets.UTF_8);
        spec.commandLine().getOut().println(report);
        return 0;
    }
}
