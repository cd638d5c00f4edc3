package io.switchboard.simulator.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.simulator.report.RunReport.PercentilePoint;
import io.switchboard.simulator.report.RunReport.Second;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * Reads results directories (layout in results/README.md) back into {@link RunReport}s: a run directory holds
 * {@code summary.json}, {@code timeseries.csv} and {@code send2deliver.hlog}; a scenario directory with variants
 * holds one such directory per variant, in the order of its {@code variants.txt} if there is one, else by name.
 */
public final class ResultsReader {
    public static final String SUMMARY = "summary.json";
    public static final String TIMESERIES = "timeseries.csv";
    public static final String HISTOGRAM_LOG = "send2deliver.hlog";
    public static final String VARIANTS = "variants.txt";

    /** The percentiles of the send→deliver distribution a report shows. */
    public static final List<Double> PERCENTILES =
            List.of(0.0, 50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9, 99.95, 99.99, 100.0);

    private static final List<String> COLUMNS = List.of("second", "sent", "delivered", "p99Micros");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultsReader() {}

    /** Every run of a run directory (one) or of a scenario directory (one per variant). */
    public static List<RunReport> read(Path dir) throws IOException {
        List<RunReport> runs = new ArrayList<>();
        for (Path run : runDirectories(dir)) {
            runs.add(readRun(run));
        }
        return runs;
    }

    /**
     * The run directories of {@code dir}: its variant directories (subdirectories holding a {@code summary.json}) if
     * it has any, else {@code dir} itself if it holds a {@code summary.json}.
     *
     * @throws IllegalArgumentException if {@code dir} is neither a run directory nor a scenario directory
     */
    public static List<Path> runDirectories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        List<Path> variants;
        try (Stream<Path> children = Files.list(dir)) {
            variants = children.filter(child -> Files.isRegularFile(child.resolve(SUMMARY)))
                    .sorted()
                    .toList();
        }
        if (!variants.isEmpty()) {
            return ordered(dir, variants);
        }
        if (Files.isRegularFile(dir.resolve(SUMMARY))) {
            return List.of(dir);
        }
        throw new IllegalArgumentException(
                dir + " is not a results directory: it has no " + SUMMARY + " and no variant directories with one");
    }

    /** Variant directories in the order {@code variants.txt} lists them, then any it leaves out, by name. */
    private static List<Path> ordered(Path dir, List<Path> byName) throws IOException {
        Path list = dir.resolve(VARIANTS);
        if (!Files.isRegularFile(list)) {
            return byName;
        }
        List<Path> ordered = new ArrayList<>();
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
            String name = line.strip();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            Path variant = byName.stream()
                    .filter(v -> v.getFileName().toString().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(
                            list + " lists " + name + " but " + dir.resolve(name) + " has no " + SUMMARY));
            if (!ordered.contains(variant)) {
                ordered.add(variant);
            }
        }
        byName.stream().filter(v -> !ordered.contains(v)).forEach(ordered::add);
        return ordered;
    }

    /** One run directory: its summary, its time series (empty if absent) and its latency distribution (likewise). */
    public static RunReport readRun(Path dir) throws IOException {
        Path summaryFile = dir.resolve(SUMMARY);
        if (!Files.isRegularFile(summaryFile)) {
            throw new IllegalArgumentException(dir + " is not a run directory: it has no " + SUMMARY);
        }
        Map<String, Object> summary = summary(summaryFile);
        Path timeseries = dir.resolve(TIMESERIES);
        List<Second> timeline = Files.isRegularFile(timeseries) ? timeline(timeseries) : List.of();
        Path hlog = dir.resolve(HISTOGRAM_LOG);
        List<PercentilePoint> distribution = Files.isRegularFile(hlog) ? distribution(histogram(hlog)) : List.of();
        return new RunReport(summary, timeline, distribution, dir);
    }

    static Map<String, Object> summary(Path file) throws IOException {
        Map<String, Object> summary;
        try {
            summary = JSON.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JacksonException e) {
            throw new IOException(file + " is not a summary: " + e.getOriginalMessage(), e);
        }
        if (summary == null || !(summary.get("scenario") instanceof String)) {
            throw new IllegalArgumentException(file + " is not a scenario run's summary: it has no \"scenario\"");
        }
        return summary;
    }

    static List<Second> timeline(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> header = lines.isEmpty() ? List.of() : columns(lines.get(0));
        int[] index = COLUMNS.stream().mapToInt(header::indexOf).toArray();
        if (Arrays.stream(index).anyMatch(i -> i < 0)) {
            throw new IllegalArgumentException(
                    file + ": the header must name " + String.join(",", COLUMNS) + " but is " + header);
        }
        List<Second> timeline = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            List<String> row = columns(lines.get(n));
            try {
                long[] v =
                        Arrays.stream(index).mapToLong(i -> value(row.get(i))).toArray();
                timeline.add(new Second((int) v[0], v[1], v[2], v[3]));
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException(
                        file + " line " + (n + 1) + ": not a row of numbers: " + lines.get(n));
            }
        }
        return timeline;
    }

    private static List<String> columns(String line) {
        return Arrays.stream(line.split(",", -1)).map(String::strip).toList();
    }

    private static long value(String cell) {
        if (cell.isEmpty()) {
            return 0; // e.g. p99 of a second without deliveries
        }
        return cell.contains(".") ? Math.round(Double.parseDouble(cell)) : Long.parseLong(cell);
    }

    /** All intervals of a histogram log, merged. */
    static Histogram histogram(Path file) throws IOException {
        Histogram merged = new Histogram(3);
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null) {
                if (!(interval instanceof AbstractHistogram h)) {
                    throw new IllegalArgumentException(
                            file + " holds " + interval.getClass().getSimpleName()
                                    + " intervals; expected integer histograms of microseconds");
                }
                merged.add(h);
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a readable histogram log: " + e, e);
        }
        return merged;
    }

    /** The {@link #PERCENTILES} of a histogram; empty if it recorded nothing. */
    static List<PercentilePoint> distribution(Histogram h) {
        if (h.getTotalCount() == 0) {
            return List.of();
        }
        return PERCENTILES.stream()
                .map(p -> new PercentilePoint(
                        p, p == 0 ? h.getMinValue() : p == 100 ? h.getMaxValue() : h.getValueAtPercentile(p)))
                .toList();
    }
}
