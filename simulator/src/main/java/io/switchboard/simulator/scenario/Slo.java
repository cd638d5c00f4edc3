package io.switchboard.simulator.scenario;

/**
 * One service-level objective, e.g. {@code p99 < 5ms} or {@code lost == 0}: a measured quantity, a comparison and a
 * threshold (latencies in microseconds).
 *
 * @param text as written in the scenario
 * @param quantity one of {@link #QUANTITIES}
 */
public record Slo(String text, String quantity, Comparison comparison, double threshold) {
    /** What an objective can name: send→deliver latency percentiles, oracle counts, and rates. */
    public static final java.util.List<String> QUANTITIES = java.util.List.of(
            "p50",
            "p90",
            "p99",
            "p999",
            "max",
            "ack.p99",
            "lost",
            "redelivered",
            "duplicatesInSession",
            "duplicatesToApp",
            "reordered",
            "receiptErrors",
            "sendErrors",
            "deliveredPerSec");

    /** The quantities measured in time (microseconds); the rest are counts or rates. */
    public static final java.util.Set<String> LATENCY_QUANTITIES =
            java.util.Set.of("p50", "p90", "p99", "p999", "max", "ack.p99");

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
