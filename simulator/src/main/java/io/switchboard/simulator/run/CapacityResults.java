package io.switchboard.simulator.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.switchboard.simulator.report.CapacityReport;
import io.switchboard.simulator.scenario.Scenario;
import io.switchboard.simulator.scenario.Slo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A capacity search's results: {@code summary.json} with the capacity and every step of each variant, the table the
 * command prints, and {@code report.html}. The layout is described in results/README.md.
 */
final class CapacityResults {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, Object> summary = new LinkedHashMap<>();
    private final List<Map<String, Object>> variants = new ArrayList<>();
    private final List<String> notFound = new ArrayList<>();

    CapacityResults(Scenario scenario, List<Slo> slos, Map<String, String> overrides, Map<String, Object> env) {
        summary.put("kind", "capacity");
        summary.put("scenario", scenario.name());
        summary.put("question", scenario.question());
        summary.put("objectives", slos.stream().map(Slo::text).toList());
        summary.put(
                "held",
                String.format(
                        Locale.ROOT,
                        "every objective holds, delivered/s within the window is at least %.0f%% of what the offered"
                                + " rate owed (refused sends owe theirs too), lost == 0 and the drain finished",
                        CapacityStep.MIN_DELIVERED_SHARE * 100));
        summary.put(
                "transport",
                scenario.transport().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        summary.put("users", scenario.users());
        summary.put("seed", scenario.seed());
        Map<String, Object> search = new LinkedHashMap<>();
        search.put("warmupSec", scenario.warmup().toMillis() / 1000.0);
        search.put("durationSec", scenario.duration().toMillis() / 1000.0);
        search.put("drainLimitSec", scenario.drain().toMillis() / 1000.0);
        search.put("overrides", overrides);
        summary.put("search", search);
        summary.put("env", env);
        summary.put("variants", variants);
    }

    Map<String, Object> env() {
        @SuppressWarnings("unchecked")
        Map<String, Object> env = (Map<String, Object>) summary.get("env");
        return env;
    }

    /** Records a variant's search, and why it found no capacity if it did not. */
    void add(String variant, Map<String, String> server, CapacitySearch.Result result, int start, int max) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("variant", variant);
        CapacityStep capacity = result.capacity();
        figures.put("capacityPerSec", capacity == null ? null : capacity.offered());
        figures.put("found", result.found());
        figures.put("p99MicrosAtCapacity", capacity == null ? null : capacity.p99Micros());
        figures.put(
                "deliveredPerSecAtCapacity", capacity == null ? null : ResultsWriter.round(capacity.deliveredPerSec()));
        String note = "";
        if (capacity == null) {
            note = String.format(
                    "even the start rate %,d msgs/s failed (%s): try a lower --start",
                    start, result.steps().get(0).whyFailed());
        } else if (result.heldAtMax()) {
            note = String.format("held even at --max %,d msgs/s: the capacity is higher, raise --max", max);
        }
        figures.put("note", note);
        if (!note.isEmpty()) {
            notFound.add("variant " + variant + ": " + note);
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int i = 0; i < result.steps().size(); i++) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("step", i + 1);
            step.putAll(result.steps().get(i).figures());
            steps.add(step);
        }
        figures.put("steps", steps);
        figures.put("server", server);
        variants.add(figures);
    }

    /** Why variants found no capacity, one line each; empty when every variant found one. */
    List<String> notFound() {
        return notFound;
    }

    void write(Path dir) throws IOException {
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
        Files.writeString(dir.resolve("report.html"), CapacityReport.render(summary));
    }

    void printTable(PrintWriter out) {
        out.printf("%-16s %14s %12s %14s %6s%n", "variant", "capacity/s", "p99 there", "delivered/s", "steps");
        for (Map<String, Object> variant : variants) {
            Object capacity = variant.get("capacityPerSec");
            Object p99 = variant.get("p99MicrosAtCapacity");
            Object delivered = variant.get("deliveredPerSecAtCapacity");
            out.printf(
                    "%-16s %14s %12s %14s %6d%n",
                    variant.get("variant"),
                    capacity == null
                            ? "none"
                            : String.format("%,d%s", capacity, (Boolean) variant.get("found") ? "" : "+"),
                    p99 == null ? "-" : RunCommandFormat.micros(((Number) p99).doubleValue()),
                    delivered == null ? "-" : String.format("%,.0f", ((Number) delivered).doubleValue()),
                    ((List<?>) variant.get("steps")).size());
        }
    }
}
