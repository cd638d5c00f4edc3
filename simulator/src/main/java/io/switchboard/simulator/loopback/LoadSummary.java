package io.switchboard.simulator.loopback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.switchboard.simulator.run.ResultsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What the measuring commands ({@code loopback}, {@code fanout}) write: one summary.json per run of the command. */
final class LoadSummary {
    private LoadSummary() {}

    /** The machine the figures come from, for the header line and the summary. */
    static String environment() {
        return "JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores shared by server and client";
    }

    /** A new summary holding the environment; the caller adds its load and its runs. */
    static Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put(
                "env",
                Map.of(
                        "jdk",
                        Runtime.version().toString(),
                        "cores",
                        Runtime.getRuntime().availableProcessors(),
                        "note",
                        environment()));
        return summary;
    }

    /** Writes {@code <out>/<yyyyMMdd-HHmmss>-<kind>/summary.json} and returns its path. */
    static Path write(Path out, String kind, Map<String, Object> summary) throws IOException {
        Path directory =
                out.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + kind);
        Files.createDirectories(directory);
        Path file = directory.resolve("summary.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary);
        return file;
    }

    /** A run's entry in the summary: its variant, latencies and counts; the caller adds what its load was. */
    static Map<String, Object> run(MeasuredLoad r) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("variant", r.variant());
        run.put("settings", r.settings());
        run.put("send2deliverMicros", percentiles(r.sendToDeliver()));
        run.put("send2ackMicros", percentiles(r.sendToAck()));
        run.put("sent", r.sent());
        run.put("acked", r.acked());
        run.put("delivered", r.delivered());
        run.put("lost", r.lost());
        run.put("duplicates", r.duplicates());
        run.put("errors", r.errors());
        run.put("firstError", r.firstError());
        return run;
    }

    /** As a scenario run's summary gives them, and how many messages were timed. */
    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> values = ResultsWriter.percentiles(h);
        values.put("count", h.getTotalCount());
        return values;
    }
}
