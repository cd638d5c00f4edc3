package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.Html.escape;

import io.switchboard.simulator.report.LineChart.Axis;
import io.switchboard.simulator.report.LineChart.Series;
import io.switchboard.simulator.report.LineChart.Unit;
import java.util.List;
import java.util.Map;

/**
 * A run card's part on the heap and the journal over the sending (summary.json's {@code resources}): their growth,
 * which a soak's objectives hold, and a chart of both in MiB. Empty for a run that sampled none (a server process).
 */
final class ResourcesSection {
    private static final double MIB = 1 << 20;

    private ResourcesSection() {}

    static String html(Map<String, Object> s, String color) {
        if (!(s.get("resources") instanceof Map<?, ?> resources)
                || !(resources.get("heapLowBytes") instanceof List<?> heap)
                || !(resources.get("journalBytes") instanceof List<?> journal)
                || heap.isEmpty()) {
            return "";
        }
        double bucket = Figures.number(s, "resources.bucketSeconds");
        double[] xs = new double[heap.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i * bucket;
        }
        Axis mib = Axis.linear("MiB", Unit.COUNT);
        LineChart chart = new LineChart(
                "heap and journal over the sending",
                Axis.linear("second", Unit.SECONDS),
                xs,
                List.of(
                        new Series("heap, lowest of each " + Figures.format(bucket) + " s", color, mib, mib(heap)),
                        new Series("journal", "#888", mib, mib(journal), true)),
                "summary.json's resources");
        return "<h3>heap and journal</h3><p class=\"note\">"
                + escape("growth, the floor's rise over the last third: heap "
                        + Figures.text(s, "resources.heapGrowthPct") + " %, journal "
                        + Figures.text(s, "resources.journalGrowthPct") + " %")
                + "</p>" + chart.html();
    }

    private static double[] mib(List<?> bytes) {
        return bytes.stream().mapToDouble(b -> ((Number) b).doubleValue() / MIB).toArray();
    }
}
