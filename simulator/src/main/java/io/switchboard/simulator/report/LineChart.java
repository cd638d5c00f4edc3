package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.Html.escape;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A line chart of series over one x axis in a report: an HTML fragment holding the chart's data as JSON, which the
 * page's script ({@link ChartAssets}) draws with uPlot. Series that share an equal y {@link Axis} share it; the first
 * y axis is drawn on the left, a second one on the right.
 *
 * @param title what the chart shows
 * @param x the x axis
 * @param xs the x values, ascending; every series has one y value for each
 * @param series the lines, in legend order
 * @param source where the data comes from ({@code send2deliver.hlog}, {@code summary.json}…), named when some is missing
 */
public record LineChart(String title, Axis x, double[] xs, List<Series> series, String source) {
    /** Okabe–Ito colours: distinguishable with colour-blindness and in greyscale print. */
    private static final String[] PALETTE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000"};

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How an axis's numbers read; the page formats ticks and legend values by it. */
    public enum Unit {
        /** A plain count: 950, 12k, 1.5M. */
        COUNT,
        /** Per second, read like a count. */
        RATE,
        /** A duration in microseconds, in the unit that reads best: 850 µs, 1.2 ms, 3 s. */
        MICROS,
        /** Seconds, such as the seconds of a run. */
        SECONDS,
        /** A percentile on a "nines" scale: 0, 50, 90, 99, 99.9, 99.99 equally spaced; below 100 only. */
        PERCENTILE
    }

    /**
     * An axis.
     *
     * @param label its title, with the unit: "msgs/s", "send→deliver p99"
     * @param log a log scale (powers of ten); values at or below zero are not drawn on one
     */
    public record Axis(String label, Unit unit, boolean log) {
        public Axis {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(unit, "unit");
        }

        public static Axis linear(String label, Unit unit) {
            return new Axis(label, unit, false);
        }

        public static Axis log(String label, Unit unit) {
            return new Axis(label, unit, true);
        }
    }

    /**
     * A line.
     *
     * @param color a CSS colour, such as {@link LineChart#color(int)}
     * @param y its axis
     * @param ys one value per x of the chart; NaN where it has none
     * @param dashed drawn dashed, for a reference line such as the offered rate
     */
    public record Series(String label, String color, Axis y, double[] ys, boolean dashed) {
        public Series {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(color, "color");
            Objects.requireNonNull(y, "y");
            Objects.requireNonNull(ys, "ys");
        }

        /** A solid line. */
        public Series(String label, String color, Axis y, double[] ys) {
            this(label, color, y, ys, false);
        }

        boolean hasData() {
            return Arrays.stream(ys).anyMatch(v -> Double.isFinite(v) && (!y.log() || v > 0));
        }
    }

    public LineChart {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(xs, "xs");
        series = List.copyOf(series);
        for (Series s : series) {
            if (s.ys().length != xs.length) {
                throw new IllegalArgumentException(
                        s.label() + " has " + s.ys().length + " values for " + xs.length + " x values");
            }
        }
        if (series.stream().map(Series::y).distinct().count() > 2) {
            throw new IllegalArgumentException(title + ": at most two y axes (left and right)");
        }
    }

    /** The i-th colour of the report's palette, the one its variant cards use. */
    public static String color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /**
     * The chart as an HTML fragment: a figure with its data; a series without any point it can draw is left out and
     * named in a note below the chart, and a chart with no such series at all is only a note.
     */
    public String html() {
        List<Series> drawn = series.stream().filter(Series::hasData).toList();
        List<String> missing =
                series.stream().filter(s -> !s.hasData()).map(Series::label).toList();
        if (drawn.isEmpty()) {
            return "<p class=\"note\">" + escape(title + ": no data in " + source + ".") + "</p>";
        }
        StringBuilder html = new StringBuilder("<figure class=\"chart\" aria-label=\"")
                .append(escape(title))
                .append("\"><script type=\"application/json\">")
                .append(json(drawn))
                .append("</script></figure>");
        if (!missing.isEmpty()) {
            html.append("<p class=\"note\">")
                    .append(escape("No data in " + source + " for " + String.join(", ", missing) + "."))
                    .append("</p>");
        }
        return html.toString();
    }

    /** The data the page's script reads: axes by index, NaN as null (no point), safe inside a script element. */
    private String json(List<Series> drawn) {
        List<Axis> axes = drawn.stream().map(Series::y).distinct().toList();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Series s : drawn) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("label", s.label());
            line.put("color", s.color());
            line.put("axis", axes.indexOf(s.y()));
            line.put("dashed", s.dashed());
            line.put("ys", values(s.ys()));
            lines.add(line);
        }
        Map<String, Object> chart = new LinkedHashMap<>();
        chart.put("title", title);
        chart.put("x", x);
        chart.put("xs", values(xs));
        chart.put("axes", axes);
        chart.put("series", lines);
        try {
            // Inside a script element only "</script" or "<!--" would end or confuse it; as JSON escapes they read
            // the same to JSON.parse.
            return JSON.writeValueAsString(chart)
                    .replace("<", "\\u003c")
                    .replace(">", "\\u003e")
                    .replace("&", "\\u0026");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("chart data is not serializable: " + e.getMessage(), e);
        }
    }

    private static List<Double> values(double[] values) {
        return Arrays.stream(values)
                .mapToObj(v -> Double.isFinite(v) ? v : null)
                .toList();
    }
}
