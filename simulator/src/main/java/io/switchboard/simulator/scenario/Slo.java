package io.switchboard.simulator.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service-level objective, e.g. {@code p99 < 5ms} or {@code lost == 0}: a measured quantity, a comparison and a
 * threshold (latencies in microseconds).
 *
 * @param text as written in the scenario
 * @param quantity one of {@link #QUANTITIES}
 */
public record Slo(String text, String quantity, Comparison comparison, double threshold) {
    /** What an objective can name: send→deliver latency percentiles, oracle counts, and rates. */
    public static final List<String> QUANTITIES = List.of(
            "p50",
            "p90",
            "p99",
            "p999",
            "max",
            "ack.p99",
            "lag.p99",
            "lost",
            "undeliveredAtEnd",
            "drainSettled",
            "redelivered",
            "duplicatesInSession",
            "duplicatesToApp",
            "reordered",
            "receiptErrors",
            "receiptsUndeliveredAtEnd",
            "readsIgnored",
            "sendErrors",
            "refused",
            "unreadable",
            "deliveredPerSec",
            "wake.p99",
            "wokenWithoutPush",
            "mediaCorrupt",
            "mediaFailed",
            "heapGrowthPct",
            "journalGrowthPct");

    /** The quantities measured in time (microseconds); the rest are counts or rates. */
    public static final Set<String> LATENCY_QUANTITIES =
            Set.of("p50", "p90", "p99", "p999", "max", "ack.p99", "lag.p99", "wake.p99");

    /** The quantities sampled in the embedded server's JVM and data directory over the sending. */
    public static final Set<String> RESOURCE_QUANTITIES = Set.of("heapGrowthPct", "journalGrowthPct");

    private static final Pattern OBJECTIVE = Pattern.compile("([A-Za-z][A-Za-z0-9.]*)\\s*([<>=!]+)\\s*(.*)");
    private static final Pattern THRESHOLD = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]*)");

    /**
     * Reads {@code <quantity> <op> <number>[unit]}, an item of a scenario's {@code slo} list.
     *
     * @throws IllegalArgumentException saying what is wrong, worded for the user (the loader adds file, line, field)
     */
    public static Slo parse(String text) {
        Matcher matcher = OBJECTIVE.matcher(text.strip());
        if (!matcher.matches()) {
            throw problem("expected '<quantity> <op> <number>[unit]' such as 'p99 < 50ms' or 'lost == 0', got '"
                    + text.strip() + "'");
        }
        String quantity = matcher.group(1);
        if (!QUANTITIES.contains(quantity)) {
            throw problem("unknown quantity '" + quantity + "'; known: " + String.join(", ", QUANTITIES));
        }
        Comparison comparison = Arrays.stream(Comparison.values())
                .filter(candidate -> candidate.symbol().equals(matcher.group(2)))
                .findFirst()
                .orElseThrow(() -> problem("unknown comparison '" + matcher.group(2) + "'; use <, <=, >, >= or =="));
        String written = matcher.group(3);
        Matcher threshold = THRESHOLD.matcher(written);
        boolean latency = LATENCY_QUANTITIES.contains(quantity);
        if (!threshold.matches()) {
            throw problem("expected a number" + (latency ? " with a unit (us, ms or s)" : "") + " after '"
                    + matcher.group(2) + "', got '" + written + "'");
        }
        double number = Double.parseDouble(threshold.group(1));
        String unit = threshold.group(2);
        if (!latency) {
            if (!unit.isEmpty()) {
                throw problem(
                        "'" + quantity + "' is a count: give a plain number without a unit, got '" + written + "'");
            }
            return new Slo(text.strip(), quantity, comparison, number);
        }
        double micros = switch (unit) {
            case "us" -> 1;
            case "ms" -> 1_000;
            case "s" -> 1_000_000;
            case "" ->
                throw problem("'" + quantity + "' is a latency: give a unit (us, ms or s), got '" + written + "'");
            default -> throw problem("unknown unit '" + unit + "' for latency '" + quantity + "'; use us, ms or s");
        };
        return new Slo(text.strip(), quantity, comparison, number * micros);
    }

    private static IllegalArgumentException problem(String problem) {
        return new IllegalArgumentException(problem);
    }

    /** True when this objective is about latency (its threshold is in microseconds). */
    public boolean latency() {
        return LATENCY_QUANTITIES.contains(quantity);
    }

    /** The comparison of an objective. */
    public enum Comparison {
        LT("<"),
        LE("<="),
        GT(">"),
        GE(">="),
        EQ("==");

        private final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean test(double value, double threshold) {
            return switch (this) {
                case LT -> value < threshold;
                case LE -> value <= threshold;
                case GT -> value > threshold;
                case GE -> value >= threshold;
                case EQ -> value == threshold;
            };
        }
    }
}
