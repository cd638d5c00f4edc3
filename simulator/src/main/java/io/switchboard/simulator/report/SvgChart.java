package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.Html.escape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;

/** Inline SVG charts drawn in Java: line charts over linear, log or "nines" axes, and horizontal bar charts. */
final class SvgChart {
    /** Okabe–Ito colours: distinguishable with colour-blindness and in greyscale print. */
    private static final String[] PALETTE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000"};

    private static final int WIDTH = 640, HEIGHT = 300, LEFT = 64, RIGHT = 16, TOP = 44, BOTTOM = 40;

    private SvgChart() {}

    static String color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /** A line of a chart; non-null {@code tips} draws a dot at every point with that tooltip. */
    record Series(String name, String color, double[] xs, double[] ys, boolean dashed, String[] tips) {}

    record Tick(double value, String label) {}

    /** An axis: data values pass through {@code transform}, then map linearly from [min, max]. */
    record Axis(String title, DoubleUnaryOperator transform, double min, double max, List<Tick> ticks) {
        double fraction(double value) {
            double t = transform.applyAsDouble(value);
            return (Math.max(min, Math.min(max, t)) - min) / (max - min);
        }

        /** From {@code from} up to a round number at or above {@code highest}, with about five ticks. */
        static Axis linear(String title, double from, double highest, DoubleFunction<String> label) {
            return linear(title, from, highest, 0, label);
        }

        /** As {@link #linear(String, double, double, DoubleFunction)}, with ticks at least {@code minStep} apart. */
        static Axis linear(String title, double from, double highest, double minStep, DoubleFunction<String> label) {
            double range = Double.isNaN(highest) || highest <= from ? 1 : highest - from;
            double step = Math.max(minStep, niceStep(range / 5));
            double to = from + Math.ceil(range / step) * step;
            List<Tick> ticks = new ArrayList<>();
            for (int i = 0; from + i * step <= to + step / 2; i++) {
                ticks.add(new Tick(from + i * step, label.apply(from + i * step)));
            }
            return new Axis(title, v -> v, from, to, ticks);
        }

        /** Powers of ten spanning [lowest, highest] (values below 1 show as 1). */
        static Axis log(String title, double lowest, double highest, DoubleFunction<String> label) {
            int lo = (int) Math.floor(Math.log10(Math.max(1, Double.isNaN(lowest) ? 1 : lowest)));
            int hi = (int) Math.ceil(Math.log10(Math.max(1, Double.isNaN(highest) ? 1 : highest)));
            hi = Math.max(hi, lo + 1);
            List<Tick> ticks = new ArrayList<>();
            for (int k = lo; k <= hi; k++) {
                ticks.add(new Tick(Math.pow(10, k), label.apply(Math.pow(10, k))));
            }
            return new Axis(title, v -> Math.log10(Math.max(1, v)), lo, hi, ticks);
        }

        /** Percentiles on a "nines" scale: 0, 90, 99, 99.9, 99.99 equally spaced, up to {@code highest}. */
        static Axis nines(String title, double highest) {
            int nines = (int) Math.round(-Math.log10(1 - highest / 100));
            List<Tick> ticks = new ArrayList<>(List.of(new Tick(0, "0"), new Tick(50, "50")));
            for (int k = 1; k <= nines; k++) {
                double p = 100 - Math.pow(10, 2 - k);
                ticks.add(new Tick(p, Figures.percentile(p)));
            }
            return new Axis(title, p -> -Math.log10(1 - Math.min(p, highest) / 100), 0, nines, ticks);
        }
    }

    static String lines(String title, Axis x, Axis y, List<Series> series) {
        double plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = open(title, WIDTH, HEIGHT);
        svg.append(text(LEFT, 16, "title", "start", title));
        double legendX = LEFT;
        for (Series s : series) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"29\" x2=\"%.1f\" y2=\"29\" stroke=\"%s\" stroke-width=\"2\"%s/>",
                    legendX,
                    legendX + 18,
                    s.color(),
                    s.dashed() ? " stroke-dasharray=\"4 3\"" : ""));
            svg.append(text(legendX + 22, 33, null, "start", s.name()));
            legendX += 34 + 6.5 * s.name().length();
        }
        for (Tick t : y.ticks()) {
            double py = TOP + plotH * (1 - y.fraction(t.value()));
            svg.append(gridLine(LEFT, py, LEFT + plotW, py));
            svg.append(text(LEFT - 6, py + 4, null, "end", t.label()));
        }
        for (Tick t : x.ticks()) {
            double px = LEFT + plotW * x.fraction(t.value());
            svg.append(gridLine(px, TOP, px, TOP + plotH));
            svg.append(text(px, TOP + plotH + 15, null, "middle", t.label()));
        }
        svg.append(text(LEFT + plotW / 2, HEIGHT - 6, "axis", "middle", x.title()));
        svg.append(String.format(
                Locale.ROOT,
                "<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(14 %.1f) rotate(-90)\">%s</text>",
                TOP + plotH / 2,
                escape(y.title())));
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (int i = 0; i < s.xs().length; i++) {
                if (Double.isNaN(s.xs()[i]) || Double.isNaN(s.ys()[i])) {
                    continue;
                }
                double px = LEFT + plotW * x.fraction(s.xs()[i]);
                double py = TOP + plotH * (1 - y.fraction(s.ys()[i]));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                if (s.tips() != null) {
                    dots.append(String.format(
                            Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s</title></circle>",
                            px,
                            py,
                            s.color(),
                            escape(s.tips()[i])));
                }
            }
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s points=\"%s\"/>",
                    s.color(),
                    s.dashed() ? " stroke-dasharray=\"4 3\"" : "",
                    points.toString().strip()));
            svg.append(dots);
        }
        return svg.append("</svg>").toString();
    }

    /** Horizontal bars, one per label, from zero; each value is written at the end of its bar; long labels lose their start. */
    static String bars(
            String title, List<String> labels, List<String> colors, double[] values, DoubleFunction<String> format) {
        int rowH = 22, top = 26, valueW = 80, width = 460;
        int labelW = (int) Math.min(
                190, 10 + 6.5 * labels.stream().mapToInt(String::length).max().orElse(1));
        int height = top + rowH * labels.size() + 6;
        double highest = 0;
        for (double v : values) {
            highest = Double.isNaN(v) ? highest : Math.max(highest, v);
        }
        double barMax = width - labelW - valueW;
        StringBuilder svg = open(title, width, height);
        svg.append(text(0, 15, "title", "start", title));
        for (int i = 0; i < labels.size(); i++) {
            double y = top + i * rowH;
            String label = labels.get(i);
            String shown = label.length() > 28 ? "…" + label.substring(label.length() - 27) : label; // keep the tail
            svg.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\"><title>%s</title>%s</text>",
                    labelW - 6,
                    y + 14,
                    escape(label),
                    escape(shown)));
            double w = Double.isNaN(values[i]) || highest <= 0 ? 0 : barMax * values[i] / highest;
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>",
                    labelW,
                    y + 3,
                    w,
                    rowH - 6,
                    colors.get(i)));
            svg.append(text(labelW + w + 5, y + 14, null, "start", format.apply(values[i])));
        }
        return svg.append("</svg>").toString();
    }

    private static StringBuilder open(String title, int width, int height) {
        return new StringBuilder(String.format(
                Locale.ROOT,
                "<svg viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
                width,
                height,
                width,
                height,
                escape(title)));
    }

    private static String text(double x, double y, String cssClass, String anchor, String content) {
        return String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\"%s text-anchor=\"%s\">%s</text>",
                x,
                y,
                cssClass == null ? "" : " class=\"" + cssClass + "\"",
                anchor,
                escape(content));
    }

    private static String gridLine(double x1, double y1, double x2, double y2) {
        return String.format(
                Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x1, y1, x2, y2);
    }

    private static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / magnitude;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    }
}
