package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.Html.escape;

import java.util.List;
import java.util.Map;

/**
 * A run card's part on phones in the background (summary.json's {@code pushWake}): pushes and wakes, and send→deliver
 * of the messages that waited for a wake beside the modelled push delay and the server's own part. Empty for a run
 * without them.
 */
final class PhonesSection {
    private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p999", "max");
    private static final List<String> COUNTS =
            List.of("pushesTaken", "wakes", "wokenWithoutPush", "idleLogouts", "openedForReceipts", "wokenDeliveries");
    private static final Map<String, String> ROWS = Map.of(
            "send2deliverMicros", "send→deliver, woken",
            "modelledDelayMicros", "modelled push delay",
            "serverPartMicros", "server's part");

    private PhonesSection() {}

    static String html(Map<String, Object> s) {
        if (!(s.get("pushWake") instanceof Map<?, ?>)) {
            return "";
        }
        StringBuilder html = new StringBuilder("<h3>phones woken by push</h3><p class=\"note\">");
        COUNTS.forEach(k -> html.append(escape(k + " " + Figures.text(s, "pushWake." + k) + " · ")));
        html.setLength(html.length() - " · ".length());
        html.append("</p><table><tr><th>latency µs</th>");
        PERCENTILES.forEach(
                p -> html.append("<th>").append(p.equals("p999") ? "p99.9" : p).append("</th>"));
        html.append("</tr>");
        for (String row : List.of("send2deliverMicros", "modelledDelayMicros", "serverPartMicros")) {
            html.append("<tr><th>").append(escape(ROWS.get(row))).append("</th>");
            PERCENTILES.forEach(p -> html.append("<td>")
                    .append(escape(Figures.text(s, "pushWake." + row + "." + p)))
                    .append("</td>"));
            html.append("</tr>");
        }
        return html.append("</table>").toString();
    }
}
