package io.switchboard.simulator.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes results directories by hand, as the scenario runner does: a summary, a three-second time series, and a
 * real histogram log of two one-second intervals recording {@code scale × 1..500} and {@code scale × 501..1000} µs.
 */
public final class ResultsFixture {
    public static final String QUESTION = "Does sharding beat striped locks at 20k msgs/s?";

    private ResultsFixture() {}

    public static Path writeRun(
            Path dir, String scenario, String variant, long deliveredPerSec, long latencyScale, long lost)
            throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("scenario", scenario);
        summary.put("question", QUESTION);
        summary.put("variant", variant);
        summary.put("seed", 42);
        summary.put("durationSec", 3);
        summary.put("throughput", Map.of("sentPerSec", deliveredPerSec + 5, "deliveredPerSec", deliveredPerSec));
        summary.put(
                "latencyMicros",
                Map.of(
                        "send2deliver", percentiles(latencyScale),
                        "send2ack", Map.of("p50", 120, "p90", 200, "p99", 400, "p999", 800, "max", 950)));
        Map<String, Object> oracle = new LinkedHashMap<>();
        oracle.put("sent", 3 * deliveredPerSec + lost);
        oracle.put("acked", 3 * deliveredPerSec + lost);
        oracle.put("delivered", 3 * deliveredPerSec);
        oracle.put("lost", lost);
        oracle.put("undeliveredAtEnd", 2L);
        oracle.put("redelivered", 4);
        oracle.put("duplicatesInSession", 0);
        oracle.put("duplicatesToApp", 0);
        oracle.put("reordered", 0);
        oracle.put("receiptErrors", 0);
        oracle.put("sendErrors", 0);
        oracle.put("neverAcked", 0);
        summary.put("oracle", oracle);
        summary.put("env", Map.of("jdk", "21.0.5", "cores", 2, "commit", "ae5d294"));
        summary.put("server", Map.of("router.routing", variant));
        summary.put(
                "slos",
                List.of(
                        Map.of("text", "p99 < 5ms", "value", 990 * latencyScale, "ok", 990 * latencyScale < 5000),
                        Map.of("text", "lost == 0", "value", lost, "ok", lost == 0)));
        new ObjectMapper().writeValue(dir.resolve("summary.json").toFile(), summary);
        Files.writeString(
                dir.resolve("timeseries.csv"),
                "second,sent,delivered,p99Micros\n"
                        + "0," + (deliveredPerSec + 5) + "," + (deliveredPerSec - 10) + "," + 980 * latencyScale + "\n"
                        + "1," + (deliveredPerSec + 5) + "," + deliveredPerSec + "," + 990 * latencyScale + "\n"
                        + "2," + (deliveredPerSec + 5) + "," + (deliveredPerSec + 10) + "," + 995 * latencyScale
                        + "\n");
        writeHistogramLog(dir.resolve("send2deliver.hlog"), latencyScale);
        return dir;
    }

    static Map<String, Object> percentiles(long scale) {
        return Map.of(
                "p50", 500 * scale, "p90", 900 * scale, "p99", 990 * scale, "p999", 999 * scale, "max", 1000 * scale);
    }

    static void writeHistogramLog(Path file, long scale) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            HistogramLogWriter writer = new HistogramLogWriter(out);
            writer.outputLogFormatVersion();
            writer.outputStartTime(1_700_000_000_000L);
            writer.outputLegend();
            for (int interval = 0; interval < 2; interval++) {
                Histogram h = new Histogram(3_600_000_000L, 3);
                for (int v = 1 + 500 * interval; v <= 500 * (interval + 1); v++) {
                    h.recordValue(v * scale);
                }
                h.setStartTimeStamp(1_700_000_000_000L + 1000L * interval);
                h.setEndTimeStamp(1_700_000_001_000L + 1000L * interval);
                writer.outputIntervalHistogram(h);
            }
            writer.close();
        }
    }
}
