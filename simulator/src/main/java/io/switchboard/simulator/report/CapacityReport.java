package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.Html.escape;

import io.switchboard.simulator.report.LineChart.Axis;
import io.switchboard.simulator.report.LineChart.Series;
import io.switchboard.simulator.report.LineChart.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code report.html} of a capacity search ({@code switchboard capacity}), from its summary.json as a map: the
 * capacity per variant, the curve of delivered/s and p99 by offered rate, and every step with why it failed. One
 * self-contained page, every string from the results escaped.
 */
public final class CapacityReport {
    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#f7f7f7;
            max-width:1400px;margin:24px auto;padding:0 16px}h1{font-size:22px;margin:0 0 4px}
            h2{font-size:17px;margin:0 0 8px}.note{color:#666;margin:0}section{margin-top:24px}
            .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(600px,1fr));gap:16px}
            table{border-collapse:collapse;margin:8px 0;background:#fff}th,td{padding:2px 10px;text-align:right;
            font-variant-numeric:tabular-nums;border-bottom:1px solid #eee;white-space:nowrap}th{font-weight:600;color:#555}
            td.why{text-align:left;color:#c00;white-space:normal}.bad{color:#c00;font-weight:700}
            svg{max-width:100%;height:auto;background:#fff}svg text{font:11px system-ui,sans-serif;fill:#333}
            svg .title{font-weight:600;font-size:12px}svg .axis{fill:#666}svg .grid{stroke:#e6e6e6}
            """;

    private CapacityReport() {}

    /** The page for a capacity summary as {@code switchboard capacity} writes it. */
    public static String render(Map<String, Object> summary) {
        List<Map<String, Object>> variants = maps(summary.get("variants"));
        StringBuilder html = new StringBuilder(32 * 1024);
        String scenario = Figures.text(summary, "scenario");
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(scenario + " — capacity"))
                .append("</title>\n<style>")
                .append(CSS)
                .append("</style></head>\n<body>\n<header><h1>")
                .append(escape(scenario + ": capacity at " + String.join(", ", texts(summary.get("objectives")))))
                .append("</h1><p class=\"note\">")
                .append(escape(Figures.text(summary, "question")))
                .append("</p><p class=\"note\">")
                .append(escape("A step holds when " + Figures.text(summary, "held") + ". JDK "
                        + Figures.text(summary, "env.jdk") + " · " + Figures.text(summary, "env.cores") + " cores"
                        + " · commit " + Figures.text(summary, "env.commit") + " · "
                        + Figures.text(summary, "transport") + " · each step "
                        + Figures.text(summary, "search.warmupSec") + " s warm-up + "
                        + Figures.text(summary, "search.durationSec") + " s measured on a fresh server"))
                .append("</p></header>\n<section><h2>Capacity</h2><table><tr><th>variant</th><th>msgs/s</th>")
                .append("<th>p99 there</th><th>delivered/s there</th><th>steps</th><th></th></tr>");
        for (Map<String, Object> variant : variants) {
            boolean found = Boolean.TRUE.equals(variant.get("found"));
            html.append("<tr><td>")
                    .append(escape(Figures.text(variant, "variant")))
                    .append("</td><td")
                    .append(found ? ">" : " class=\"bad\">")
                    .append(escape(Figures.text(variant, "capacityPerSec")))
                    .append("</td><td>")
                    .append(escape(latency(Figures.number(variant, "p99MicrosAtCapacity"))))
                    .append("</td><td>")
                    .append(escape(Figures.text(variant, "deliveredPerSecAtCapacity")))
                    .append("</td><td>")
                    .append(maps(variant.get("steps")).size())
                    .append("</td><td class=\"why\">")
                    .append(escape(Figures.text(variant, "note")))
                    .append("</td></tr>");
        }
        html.append("</table></section>\n<section class=\"charts\">")
                .append(curve("delivered/s by offered rate (dashed: offered)", false, variants, "deliveredPerSec"))
                .append(curve("send→deliver p99 by offered rate", true, variants, "p99Micros"))
                .append("</section>\n");
        for (Map<String, Object> variant : variants) {
            html.append("<section><h2>")
                    .append(escape(Figures.text(variant, "variant")))
                    .append(": steps</h2><table><tr><th>step</th><th>offered/s</th><th>delivered/s</th><th>p50</th>")
                    .append("<th>p99</th><th>lost</th><th>undelivered at end</th><th>held</th><th></th></tr>");
            for (Map<String, Object> step : maps(variant.get("steps"))) {
                boolean held = Boolean.TRUE.equals(step.get("held"));
                html.append("<tr><td>").append(escape(Figures.text(step, "step")));
                for (String key : List.of("offeredPerSec", "deliveredPerSec")) {
                    html.append("</td><td>").append(escape(Figures.text(step, key)));
                }
                for (String key : List.of("p50Micros", "p99Micros")) {
                    html.append("</td><td>").append(escape(latency(Figures.number(step, key))));
                }
                for (String key : List.of("lost", "undeliveredAtEnd")) {
                    html.append("</td><td>").append(escape(Figures.text(step, key)));
                }
                html.append("</td><td")
                        .append(held ? ">held" : " class=\"bad\">failed")
                        .append("</td><td class=\"why\">")
                        .append(escape(Figures.text(step, "whyFailed")))
                        .append("</td></tr>");
            }
            html.append("</table></section>\n");
        }
        return html.append(ChartAssets.html()).append("</body></html>\n").toString();
    }

    /**
     * One line per variant of a step figure over every offered rate any variant ran (NaN where a variant did not run
     * it), and for delivered/s the offered rate itself, dashed.
     */
    private static String curve(String title, boolean log, List<Map<String, Object>> variants, String figure) {
        double[] xs = variants.stream()
                .flatMap(variant -> maps(variant.get("steps")).stream())
                .mapToDouble(step -> Figures.number(step, "offeredPerSec"))
                .distinct()
                .sorted()
                .toArray();
        Map<String, double[]> lines = new LinkedHashMap<>();
        for (Map<String, Object> variant : variants) {
            double[] ys = new double[xs.length];
            Arrays.fill(ys, Double.NaN);
            for (Map<String, Object> step : maps(variant.get("steps"))) {
                ys[Arrays.binarySearch(xs, Figures.number(step, "offeredPerSec"))] = Figures.number(step, figure);
            }
            lines.put(Figures.text(variant, "variant"), ys);
        }
        return chart(title, log, xs, lines);
    }

    /**
     * The one place the capacity page draws a chart: offered msgs/s across; up, msgs/s with the offered rate dashed,
     * or µs on a log scale. Each line in the report's palette, in order.
     */
    private static String chart(String title, boolean log, double[] xs, Map<String, double[]> lines) {
        Axis y = log ? Axis.log("send→deliver p99", Unit.MICROS) : Axis.linear("msgs/s", Unit.RATE);
        List<Series> series = new ArrayList<>();
        for (Map.Entry<String, double[]> line : lines.entrySet()) {
            series.add(new Series(line.getKey(), LineChart.color(series.size()), y, line.getValue()));
        }
        if (!log) {
            series.add(new Series("offered", "#888", y, xs, true));
        }
        return new LineChart(title, Axis.linear("offered msgs/s", Unit.RATE), xs, series, "summary.json").html();
    }

    private static String latency(double micros) {
        return Double.isNaN(micros) ? Figures.MISSING : Figures.micros(micros);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object list) {
        return list instanceof List<?> items ? (List<Map<String, Object>>) items : List.of();
    }

    private static List<String> texts(Object list) {
        return list instanceof List<?> items
                ? items.stream().map(String::valueOf).toList()
                : List.of();
    }
}
