package io.switchboard.simulator.report;

import static io.switchboard.simulator.report.Html.escape;

import io.switchboard.simulator.profile.CpuBreakdown.Component;
import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A run card's profile, for a run made with {@code --profile}: links to its CPU and allocation flame graphs and its
 * recording, what recorded them, and the CPU breakdown by component ({@code summary.json}'s {@code profile}).
 */
final class ProfileSection {
    private ProfileSection() {}

    /** The section, or nothing for a run without a profile. */
    static String html(RunReport run, Path page) {
        if (!(run.summary().get("profile") instanceof Map<?, ?> raw)) {
            return "";
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> profile = (Map<String, Object>) raw;
        StringBuilder html = new StringBuilder("<div class=\"profile\"><p>Profile of the measured phase: ");
        html.append(link(run, page, profile.get("cpuFlameGraph"), "CPU flame graph"))
                .append(" · ")
                .append(link(run, page, profile.get("allocFlameGraph"), "allocation flame graph"))
                .append(" · ")
                .append(link(run, page, profile.get("recording"), "recording (JFR)"))
                .append("<br><span class=\"note\">")
                .append(escape(Figures.text(profile, "profiler") + ", " + Figures.text(profile, "cpuEvent") + " and "
                        + Figures.text(profile, "allocEvent") + ", " + Figures.text(profile, "profiledSec") + " s, "
                        + Figures.text(profile, "cpuSamples") + " CPU samples"));
        if (profile.get("fallback") != null) {
            html.append(escape(" (" + Figures.text(profile, "fallback") + ")"));
        }
        html.append("</span></p><table><tr><th>CPU</th>");
        for (Component component : Component.values()) {
            html.append("<th>").append(escape(component.label())).append("</th>");
        }
        html.append("</tr><tr><td>share</td>");
        for (Component component : Component.values()) {
            double share = Figures.number(profile, "cpuBreakdown." + component.key());
            html.append("<td>")
                    .append(Double.isNaN(share) ? Figures.MISSING : String.format("%.1f%%", 100 * share))
                    .append("</td>");
        }
        return html.append("</tr></table></div>").toString();
    }

    /** A link to one of the run's files, relative to the page when the run's directory is known. */
    private static String link(RunReport run, Path page, Object file, String text) {
        if (!(file instanceof String name)) {
            return escape(text + " " + Figures.MISSING);
        }
        return "<a href=\"" + escape(href(run.dir(), page, name)) + "\">" + escape(text) + "</a>";
    }

    static String href(Path runDir, Path page, String file) {
        String path = file;
        if (runDir != null) {
            Path target = runDir.toAbsolutePath().normalize().resolve(file);
            Path from = (page != null ? page : runDir).toAbsolutePath().normalize();
            path = from.relativize(target).toString().replace(File.separatorChar, '/');
        }
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            return path;
        }
    }
}
