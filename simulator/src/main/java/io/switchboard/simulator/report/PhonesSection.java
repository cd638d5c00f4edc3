package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.Html.escape;

import java.util.List;
import java.util.Map;

/**
 * A run card's part on phones: in the background (summary.json's {@code pushWake}), pushes and wakes, and send→deliver
 * of the messages that waited for a wake beside the modelled push delay and the server's own part; with media ({@code
 * media}), the checks of the blobs, upload and download latency and MB/s, and storage per message. Empty for a run
 * without either.
 */
final class PhonesSection {
    /** A latency row: its key in the section and its label. */
    private record Row(String key, String label) {}

    private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p999", "max");

    private PhonesSection() {}

    static String html(Map<String, Object> s) {
        return section(
                        s,
                        "pushWake",
                        "phones woken by push",
                        List.of(
                                "pushesTaken",
                                "wakes",
                                "wokenWithoutPush",
                                "idleLogouts",
                                "openedForReceipts",
                                "wokenDeliveries"),
                        List.of(
                                new Row("send2deliverMicros", "send→deliver, woken"),
                                new Row("modelledDelayMicros", "modelled push delay"),
                                new Row("serverPartMicros", "server's part")))
                + section(
                        s,
                        "media",
                        "media",
                        List.of(
                                "uploads",
                                "downloads",
                                "verified",
                                "corrupt",
                                "uploadMBps",
                                "downloadMBps",
                                "storedBytesPerMessage"),
                        List.of(new Row("uploadMicros", "upload"), new Row("downloadMicros", "download")));
    }

    private static String section(
            Map<String, Object> s, String key, String title, List<String> counts, List<Row> rows) {
        if (!(s.get(key) instanceof Map<?, ?>)) {
            return "";
        }
        StringBuilder html = new StringBuilder("<h3>").append(title).append("</h3><p class=\"note\">");
        counts.forEach(k -> html.append(escape(k + " " + Figures.text(s, key + "." + k) + " · ")));
        html.setLength(html.length() - " · ".length());
        html.append("</p><table><tr><th>latency µs</th>");
        PERCENTILES.forEach(
                p -> html.append("<th>").append(p.equals("p999") ? "p99.9" : p).append("</th>"));
        html.append("</tr>");
        for (Row row : rows) {
            html.append("<tr><th>").append(escape(row.label())).append("</th>");
            PERCENTILES.forEach(p -> html.append("<td>")
                    .append(escape(Figures.text(s, key + "." + row.key() + "." + p)))
                    .append("</td>"));
            html.append("</tr>");
        }
        return html.append("</table>").toString();
    }
}
