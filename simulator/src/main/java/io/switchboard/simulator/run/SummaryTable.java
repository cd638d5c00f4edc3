package io.switchboard.simulator.run;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The side-by-side table of a run's variants, oracle counts next to the performance figures. */
final class SummaryTable {
    private SummaryTable() {}

    /**
     * Prints one row per variant; with a ceiling variant in the run ({@link Efficiency}), a last column gives each
     * variant's delivered/s as a share of the ceiling's.
     */
    @SuppressWarnings("unchecked")
    static void print(List<Map<String, Object>> summaries, PrintStream out) {
        boolean efficiency = summaries.stream().anyMatch(summary -> summary.containsKey(Efficiency.KEY));
        out.printf(
                "%-12s %10s %12s %10s %10s %10s %10s %8s %8s %8s %5s %7s %6s %6s %9s %8s %8s %8s %9s %8s"
                        + (efficiency ? " %8s" : "%s")
                        + "%n",
                "variant",
                "sent/s",
                "delivered/s",
                "p50",
                "p99",
                "p99.9",
                "max",
                "acked",
                "lost",
                "undeliv",
                "drain",
                "dupSess",
                "dupApp",
                "reord",
                "receiptErr",
                "rcptUndl",
                "readsIgn",
                "sendErr",
                "refused",
                "lag p99",
                efficiency ? "ceiling%" : "");
        for (Map<String, Object> summary : summaries) {
            Map<String, Object> throughput = (Map<String, Object>) summary.get("throughput");
            Map<String, Object> latency =
                    (Map<String, Object>) ((Map<String, Object>) summary.get("latencyMicros")).get("send2deliver");
            Map<String, Object> oracle = (Map<String, Object>) summary.get("oracle");
            out.printf(
                    "%-12s %,10.0f %,12.0f %10s %10s %10s %10s %8d %8d %8d %5s %7d %6d %6d %9d %8d %8d %8d %9d %8s"
                            + (efficiency ? " %8s" : "%s")
                            + "%n",
                    summary.get("variant"),
                    ((Number) throughput.get("sentPerSec")).doubleValue(),
                    ((Number) throughput.get("deliveredPerSec")).doubleValue(),
                    RunCommandFormat.micros(((Number) latency.get("p50")).doubleValue()),
                    RunCommandFormat.micros(((Number) latency.get("p99")).doubleValue()),
                    RunCommandFormat.micros(((Number) latency.get("p999")).doubleValue()),
                    RunCommandFormat.micros(((Number) latency.get("max")).doubleValue()),
                    ((Number) oracle.get("acked")).longValue(),
                    ((Number) oracle.get("lost")).longValue(),
                    count(oracle, "undeliveredAtEnd"),
                    drain(summary.get("drainSettled")),
                    ((Number) oracle.get("duplicatesInSession")).longValue(),
                    ((Number) oracle.get("duplicatesToApp")).longValue(),
                    ((Number) oracle.get("reordered")).longValue(),
                    ((Number) oracle.get("receiptErrors")).longValue(),
                    count(oracle, "receiptsUndeliveredAtEnd"),
                    count(oracle, "readsIgnored"),
                    ((Number) oracle.get("sendErrors")).longValue(),
                    count(oracle, "refused"),
                    lagP99((Map<String, Object>) summary.get("latencyMicros")),
                    efficiency ? share(summary.get(Efficiency.KEY)) : "");
        }
    }

    /** A share as a percentage with one decimal, or - where a summary has none. */
    static String share(Object share) {
        return share instanceof Number number
                ? String.format(java.util.Locale.ROOT, "%.1f%%", 100 * number.doubleValue())
                : "-";
    }

    /** The send lag's p99; runs before 2026-12-06 did not measure it: -. */
    @SuppressWarnings("unchecked")
    private static String lagP99(Map<String, Object> latency) {
        return latency.get("sendLag") instanceof Map<?, ?> lag
                ? RunCommandFormat.micros(((Number) ((Map<String, Object>) lag).get("p99")).doubleValue())
                : "-";
    }

    /** A count that runs before 2026-12-05 did not write (refused: before back-pressure): 0 for them. */
    private static long count(Map<String, Object> oracle, String name) {
        return ((Number) oracle.getOrDefault(name, 0)).longValue();
    }

    /** Whether the drain ended with everything arrived ({@code done}) or at its limit; runs before 2026-12-05: -. */
    private static String drain(Object settled) {
        return settled == null ? "-" : Boolean.TRUE.equals(settled) ? "done" : "LIMIT";
    }
}
