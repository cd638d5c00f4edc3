package io.switchboard.simulator.run;

import io.switchboard.simulator.report.ReportRenderer;
import io.switchboard.simulator.report.ResultsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a run directory's {@code report.html} from the files the run wrote, as {@code switchboard report} would. */
final class Reports {
    private Reports() {}

    /** Records the variants' order (the report follows it), then renders. */
    static Path write(Path dir, List<String> variants) throws IOException {
        if (!variants.isEmpty()) {
            Files.write(dir.resolve(ResultsReader.VARIANTS), variants);
        }
        Path report = dir.resolve("report.html");
        Files.writeString(report, new ReportRenderer(dir).render(ResultsReader.read(dir)));
        return report;
    }
}
