package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.Html.escape;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/** One figure of every variant as horizontal bars from zero, in plain HTML: each value is written after its bar. */
final class Bars {
    /** Longer labels lose their start, which is what repeats (a run's date, the scenario); the full one is the tooltip. */
    private static final int LONGEST_LABEL = 28;

    private Bars() {}

    static String html(
            String title, List<String> labels, List<String> colors, double[] values, DoubleFunction<String> format) {
        double highest = 0;
        for (double v : values) {
            highest = Double.isNaN(v) ? highest : Math.max(highest, v);
        }
        StringBuilder html = new StringBuilder("<table class=\"barchart\"><caption>")
                .append(escape(title))
                .append("</caption>");
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            String shown =
                    label.length() > LONGEST_LABEL ? "…" + label.substring(label.length() - LONGEST_LABEL + 1) : label;
            double share = Double.isNaN(values[i]) || highest <= 0 ? 0 : 100 * values[i] / highest;
            html.append("<tr><th title=\"")
                    .append(escape(label))
                    .append("\">")
                    .append(escape(shown))
                    .append("</th><td class=\"track\"><span class=\"bar\" style=\"")
                    .append(String.format(Locale.ROOT, "width:%.1f%%;background:%s", share, escape(colors.get(i))))
                    .append("\"></span></td><td>")
                    .append(escape(format.apply(values[i])))
                    .append("</td></tr>");
        }
        return html.append("</table>").toString();
    }
}
