package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.Html.escape;

import io.switchboard.simulator.report.LineChart.Axis;
import io.switchboard.simulator.report.LineChart.Series;
import io.switchboard.simulator.report.LineChart.Unit;
import io.switchboard.simulator.report.RunReport.PercentilePoint;
import io.switchboard.simulator.report.RunReport.Second;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Renders runs as one self-contained HTML page that opens offline: no external assets, the charts' data inline as JSON
 * and drawn by uPlot, which the page carries inline too ({@link ChartAssets}). Every string taken from the results is
 * escaped.
 */
public final class ReportRenderer {
    /** Oracle counts that must be zero in a correct run; non-zero ones show in red. */
    public static final List<String> ALARMS =
            List.of("lost", "duplicatesInSession", "duplicatesToApp", "reordered", "receiptErrors", "unreadable");

    private static final List<String> ORACLE = List.of(
            "sent",
            "acked",
            "delivered",
            "lost",
            "undeliveredAtEnd",
            "redelivered",
            "duplicatesInSession",
            "duplicatesToApp",
            "reordered",
            "receiptErrors",
            "receiptsUndeliveredAtEnd",
            "readsIgnored",
            "receiptsSentAgain",
            "sendErrors",
            "refused",
            "withheld",
            "neverAcked",
            "unreadable");
    /** Delivered/s as a share of the run's ceiling variant's, where the run has one (summary.json, efficiency). */
    private static final String EFFICIENCY = "efficiency";

    private static final List<String> LATENCY = List.of("send2deliver", "send2ack", "send2receipt", "sendLag");
    private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p999", "max");
    private static final String CSS = """
            body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#f7f7f7;
            max-width:1400px;margin:24px auto;padding:0 16px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:0 0 8px}.question{font-size:16px;margin:0 0 4px}
            .env,.note{color:#666;margin:0}section{margin-top:24px}
            .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(600px,1fr));gap:16px}
            .bars{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:8px}
            .card{background:#fff;border:1px solid #ddd;border-top:5px solid;border-radius:6px;padding:12px 16px}
            table{border-collapse:collapse;margin:8px 0}th,td{padding:2px 10px;text-align:right;
            font-variant-numeric:tabular-nums}th{font-weight:600;color:#555}tr>:first-child{text-align:left;padding-left:0}
            .oracle{display:grid;grid-template-columns:repeat(5,1fr);gap:4px 12px;margin:8px 0}
            dt{color:#666;font-size:12px}dd{margin:0;font-variant-numeric:tabular-nums}
            .bad{color:#c00;font-weight:700}.slos{list-style:none;padding:0;margin:8px 0}
            .badge{display:inline-block;min-width:34px;text-align:center;border-radius:3px;color:#fff;font-size:12px;
            font-weight:700;margin-right:6px}.pass .badge{background:#2a7d2a}.fail .badge{background:#c00}
            figure.chart{margin:8px 0;background:#fff}.chart .u-title{font-size:12px;font-weight:600}
            .chart .u-legend{font-size:12px}
            .barchart{width:100%;table-layout:fixed}.barchart caption{text-align:left;font-weight:600;font-size:12px}
            .barchart th{width:190px;overflow:hidden;white-space:nowrap;font-weight:400}.barchart td:last-child{width:80px}
            .barchart td{text-align:left}.barchart .track{padding:0}.bar{display:block;height:14px}
            .profile table{font-size:12px}
            """;

    /** The directory the page is written to, which links to a run's files start from; null: each run's own. */
    private final Path page;

    /** A renderer whose links to a run's files are relative to that run's directory. */
    public ReportRenderer() {
        this(null);
    }

    /** A renderer for a page written to {@code page} (a directory): links to a run's files start there. */
    public ReportRenderer(Path page) {
        this.page = page;
    }

    /** Renders runs labelled by their variant (or scenario/variant where variants repeat). */
    public String render(List<RunReport> runs) {
        return render(runs, labels(runs));
    }

    /** Renders runs under the given labels, one per run, in order. */
    public String render(List<RunReport> runs, List<String> labels) {
        if (runs.isEmpty() || runs.size() != labels.size()) {
            throw new IllegalArgumentException("need one label per run and at least one run");
        }
        labels = unique(labels);
        String scenario = distinct(runs, r -> Figures.text(r.summary(), "scenario"), " vs ");
        Set<String> questions = runs.stream()
                .map(r -> Figures.text(r.summary(), "question"))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        String question = questions.size() == 1 ? questions.iterator().next() : "";
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>")
                .append(escape(question.isEmpty() ? scenario : scenario + " — " + question))
                .append("</title>\n<style>")
                .append(CSS)
                .append("</style></head>\n<body>\n<header><h1>")
                .append(escape(scenario))
                .append("</h1>");
        if (!question.isEmpty()) {
            html.append("<p class=\"question\">").append(escape(question)).append("</p>");
        }
        html.append("<p class=\"env\">")
                .append(escape("JDK " + distinct(runs, r -> Figures.text(r.summary(), "env.jdk"), " / ")
                        + " · " + distinct(runs, r -> Figures.text(r.summary(), "env.cores"), " / ") + " cores"
                        + " · commit " + distinct(runs, r -> Figures.text(r.summary(), "env.commit"), " / ")
                        + " · seed " + distinct(runs, r -> Figures.text(r.summary(), "seed"), " / ")))
                .append("</p></header>\n");
        html.append("<section><h2>Send→deliver latency distribution</h2>")
                .append(distributionChart(runs, labels))
                .append("</section>\n");
        if (runs.size() > 1) {
            html.append("<section><h2>Side by side</h2><div class=\"bars\">")
                    .append(bars("delivered / s", runs, labels, "throughput.deliveredPerSec", Figures::format))
                    .append(
                            runs.stream().anyMatch(r -> r.summary().containsKey(EFFICIENCY))
                                    ? bars(
                                            "delivered / s as a share of the ceiling's",
                                            runs,
                                            labels,
                                            EFFICIENCY,
                                            ReportRenderer::percent)
                                    : "")
                    .append(bars(
                            "send→deliver p50", runs, labels, "latencyMicros.send2deliver.p50", ReportRenderer::us))
                    .append(bars(
                            "send→deliver p99", runs, labels, "latencyMicros.send2deliver.p99", ReportRenderer::us))
                    .append(bars(
                            "send→deliver p99.9", runs, labels, "latencyMicros.send2deliver.p999", ReportRenderer::us))
                    .append("</div></section>\n");
        }
        html.append("<section class=\"cards\">\n");
        for (int i = 0; i < runs.size(); i++) {
            RunReport run = runs.get(i);
            html.append(new RunCard(
                            run, labels.get(i), LineChart.color(i), question.isEmpty(), ProfileSection.html(run, page))
                    .html());
        }
        return html.append("</section>\n")
                .append(ChartAssets.html())
                .append("</body></html>\n")
                .toString();
    }

    /** Variant names, qualified by scenario where they repeat, numbered where they still do. */
    public static List<String> labels(List<RunReport> runs) {
        List<String> labels =
                runs.stream().map(r -> Figures.text(r.summary(), "variant")).toList();
        if (new HashSet<>(labels).size() < labels.size()) {
            labels = runs.stream()
                    .map(r -> Figures.text(r.summary(), "scenario") + "/" + Figures.text(r.summary(), "variant"))
                    .toList();
        }
        return unique(labels);
    }

    /** The labels with " #2", " #3"… appended to repeats. */
    static List<String> unique(List<String> labels) {
        List<String> unique = new ArrayList<>();
        for (String label : labels) {
            String candidate = label;
            for (int n = 2; unique.contains(candidate); n++) {
                candidate = label + " #" + n;
            }
            unique.add(candidate);
        }
        return unique;
    }

    private static String distinct(List<RunReport> runs, Function<RunReport, String> value, String separator) {
        return runs.stream().map(value).distinct().collect(Collectors.joining(separator));
    }

    /** A share written as a percentage ({@code 0.423} as 42.3%). */
    private static String percent(double share) {
        return Double.isNaN(share) ? Figures.MISSING : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    private static String us(double micros) {
        return Double.isNaN(micros) ? Figures.MISSING : Figures.format(micros) + " µs";
    }

    private static String bars(
            String title, List<RunReport> runs, List<String> labels, String path, DoubleFunction<String> format) {
        double[] values = runs.stream()
                .mapToDouble(r -> Figures.number(r.summary(), path))
                .toArray();
        List<String> colors =
                IntStream.range(0, runs.size()).mapToObj(LineChart::color).toList();
        return Bars.html(title, labels, colors, values, format);
    }

    /** Every run's percentiles up to p99.99 (the max is in the cards) over the percentiles any of them has. */
    private static String distributionChart(List<RunReport> runs, List<String> labels) {
        double top = 99.99;
        double[] xs = runs.stream()
                .flatMap(r -> r.send2deliver().stream())
                .map(PercentilePoint::percentile)
                .filter(p -> p <= top)
                .collect(Collectors.toCollection(TreeSet::new))
                .stream()
                .mapToDouble(Double::doubleValue)
                .toArray();
        Axis latency = Axis.log("send→deliver latency (log scale)", Unit.MICROS);
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Map<Double, Long> micros = runs.get(i).send2deliver().stream()
                    .collect(Collectors.toMap(PercentilePoint::percentile, PercentilePoint::micros, (a, b) -> b));
            double[] ys = Arrays.stream(xs)
                    .map(p -> micros.containsKey(p) ? micros.get(p) : Double.NaN)
                    .toArray();
            series.add(new Series(labels.get(i), LineChart.color(i), latency, ys));
        }
        return new LineChart(
                        "send→deliver latency by percentile (max is in the cards)",
                        Axis.linear("percentile", Unit.PERCENTILE),
                        xs,
                        series,
                        "the histogram log (" + ResultsReader.HISTOGRAM_LOG + ")")
                .html();
    }

    /** One run's card: figures, oracle counts, objectives, throughput over time, its profile and server settings. */
    private record RunCard(RunReport run, String label, String color, boolean showQuestion, String profile) {
        String html() {
            Map<String, Object> s = run.summary();
            StringBuilder html = new StringBuilder();
            html.append("<article class=\"card\" style=\"border-top-color:")
                    .append(color)
                    .append("\"><h2>")
                    .append(escape(label))
                    .append("</h2>");
            if (showQuestion) {
                html.append("<p class=\"note\">")
                        .append(escape(Figures.text(s, "scenario") + ": " + Figures.text(s, "question")))
                        .append("</p>");
            }
            List<String> alarms = new ArrayList<>(ALARMS.stream()
                    .filter(k -> Figures.number(s, "oracle." + k) > 0)
                    .map(k -> k + " " + Figures.text(s, "oracle." + k))
                    .toList());
            if (Boolean.FALSE.equals(s.get("drainSettled"))) {
                alarms.add("the drain ended at its limit of " + Figures.text(s, "drainSec")
                        + " s with messages or receipts still owed: undeliveredAtEnd and receiptsUndeliveredAtEnd"
                        + " are those the server still held");
            }
            if (!alarms.isEmpty()) {
                html.append("<p class=\"bad\">✗ ")
                        .append(escape(String.join(" · ", alarms)))
                        .append("</p>");
            }
            html.append("<table><tr><th>sent/s</th><td>")
                    .append(escape(Figures.text(s, "throughput.sentPerSec")))
                    .append("</td><th>delivered/s</th><td>")
                    .append(escape(Figures.text(s, "throughput.deliveredPerSec")))
                    .append("</td>");
            if (s.containsKey(EFFICIENCY)) {
                html.append("<th>of the ceiling</th><td>")
                        .append(escape(percent(Figures.number(s, EFFICIENCY))))
                        .append("</td>");
            }
            html.append("<th>measured</th><td>")
                    .append(escape(Figures.text(s, "durationSec")))
                    .append(" s</td></tr></table>");
            html.append("<table><tr><th>latency µs</th>");
            PERCENTILES.forEach(p ->
                    html.append("<th>").append(p.equals("p999") ? "p99.9" : p).append("</th>"));
            html.append("</tr>");
            LATENCY.forEach(key -> {
                html.append("<tr><th>").append(key.replace("2", "→")).append("</th>");
                PERCENTILES.forEach(p -> html.append("<td>")
                        .append(escape(Figures.text(s, "latencyMicros." + key + "." + p)))
                        .append("</td>"));
                html.append("</tr>");
            });
            html.append("</table><dl class=\"oracle\">");
            for (String k : ORACLE) {
                boolean bad = ALARMS.contains(k) && Figures.number(s, "oracle." + k) > 0;
                html.append("<div><dt>")
                        .append(k)
                        .append("</dt><dd")
                        .append(bad ? " class=\"bad\">" : ">")
                        .append(escape(Figures.text(s, "oracle." + k)))
                        .append("</dd></div>");
            }
            html.append("</dl>")
                    .append(PhonesSection.html(s))
                    .append(slos(s))
                    .append(timeCharts())
                    .append(ResourcesSection.html(s, color))
                    .append(profile);
            if (s.get("server") instanceof Map<?, ?> server && !server.isEmpty()) {
                html.append("<details><summary>server settings</summary><table>");
                server.forEach((k, v) -> html.append("<tr><td>")
                        .append(escape(k))
                        .append("</td><td>")
                        .append(escape(Figures.format(v)))
                        .append("</td></tr>"));
                html.append("</table></details>");
            }
            return html.append("</article>\n").toString();
        }

        private static String slos(Map<String, Object> s) {
            if (!(s.get("slos") instanceof List<?> slos) || slos.isEmpty()) {
                return "<p class=\"note\">No objectives.</p>";
            }
            StringBuilder html = new StringBuilder("<ul class=\"slos\">");
            for (Object o : slos) {
                Map<?, ?> slo = o instanceof Map<?, ?> m ? m : Map.of();
                boolean ok = Boolean.TRUE.equals(slo.get("ok"));
                html.append(ok ? "<li class=\"pass\"><span class=\"badge\">PASS</span>" : "<li class=\"fail\">")
                        .append(ok ? "" : "<span class=\"badge\">FAIL</span>")
                        .append(escape(Figures.format(slo.get("text"))))
                        .append(" <span class=\"note\">(measured ")
                        // Results written before "measured" (with its unit) existed have the bare value.
                        .append(escape(
                                Figures.format(slo.containsKey("measured") ? slo.get("measured") : slo.get("value"))))
                        .append(")</span></li>");
            }
            return html.append("</ul>").toString();
        }

        /** Sent and delivered per second, and send→deliver p99 per second, over the seconds of the run. */
        private String timeCharts() {
            List<Second> t = run.timeline();
            String source = "the time series (" + ResultsReader.TIMESERIES + ")";
            if (t.isEmpty()) {
                return "<p class=\"note\">" + escape("No data in " + source + ": no charts over time.") + "</p>";
            }
            Axis seconds = Axis.linear("second", Unit.SECONDS);
            double[] xs = t.stream().mapToDouble(Second::second).toArray();
            Axis rate = Axis.linear("msgs/s", Unit.RATE);
            LineChart throughput = new LineChart(
                    "messages per second",
                    seconds,
                    xs,
                    List.of(
                            new Series("sent", "#888", rate, column(t, Second::sent), true),
                            new Series("delivered", color, rate, column(t, Second::delivered))),
                    source);
            // A second without deliveries has no p99 (the file says 0 or nothing): no point rather than a 0 µs one.
            LineChart p99 = new LineChart(
                    "send→deliver p99 per second",
                    seconds,
                    xs,
                    List.of(new Series(
                            "p99",
                            color,
                            Axis.log("p99 (log scale)", Unit.MICROS),
                            t.stream()
                                    .mapToDouble(s -> s.delivered() > 0 ? s.p99Micros() : Double.NaN)
                                    .toArray())),
                    source);
            return throughput.html() + p99.html();
        }

        private static double[] column(List<Second> t, ToLongFunction<Second> value) {
            return t.stream().mapToDouble(value::applyAsLong).toArray();
        }
    }
}
