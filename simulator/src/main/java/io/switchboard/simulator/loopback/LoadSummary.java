package io.switchboard.simulator.loopback;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.switchboard.simulator.profile.MeasuredWindow;
import io.switchboard.simulator.profile.Profile;
import io.switchboard.simulator.profile.ProfiledRun;
import io.switchboard.simulator.profile.Profiler;
import io.switchboard.simulator.run.Environment;
import io.switchboard.simulator.run.ResultsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What the measuring commands ({@code loopback}, {@code fanout}) write: one summary.json per run of the command. */
final class LoadSummary {
    private LoadSummary() {}

    /** The machine the figures come from, for the header line and the summary. */
    static String environment() {
        return "JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores shared by server and client";
    }

    /**
     * A new summary holding the environment, as every result records it ({@link Environment}) and with {@link
     * #environment()}'s note; the caller adds its load and its runs.
     */
    static Map<String, Object> summary() {
        Map<String, Object> env = new LinkedHashMap<>(Environment.describe());
        env.put("note", environment());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("env", env);
        return summary;
    }

    /** Creates the command's results directory, {@code <out>/<yyyyMMdd-HHmmss>-<kind>}, named by when it starts. */
    static Path directory(Path out, String kind) throws IOException {
        return Files.createDirectories(
                out.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + kind));
    }

    /** Writes {@code summary.json} into the command's directory and returns its path. */
    static Path write(Path directory, Map<String, Object> summary) throws IOException {
        Path file = directory.resolve("summary.json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary);
        return file;
    }

    /** A run's entry in the summary: its variant, latencies and counts; the caller adds what its load was. */
    static Map<String, Object> run(MeasuredLoad r) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("variant", r.variant());
        run.put("settings", r.settings());
        run.put("send2deliverMicros", percentiles(r.sendToDeliver()));
        run.put("send2ackMicros", percentiles(r.sendToAck()));
        run.put("sent", r.sent());
        run.put("acked", r.acked());
        run.put("delivered", r.delivered());
        run.put("lost", r.lost());
        run.put("duplicates", r.duplicates());
        run.put("errors", r.errors());
        run.put("firstError", r.firstError());
        return run;
    }

    /** One measurement, which tells a listener when its measured window opens and closes. */
    interface Measurement<R> {
        R run(MeasuredWindow.Listener measured) throws Exception;
    }

    /**
     * Runs a measurement, profiled with {@code --profile}: its files go to the command's directory, named after its
     * label ({@code sharded@50000} → {@code sharded-50000-profile-cpu.html}), and its profile is kept under the label.
     */
    static <R> R profiled(
            Profiler profiler,
            Path directory,
            String kind,
            String label,
            Map<String, Profile> profiles,
            Measurement<R> measurement)
            throws Exception {
        ProfiledRun profiling =
                profiler.measure(directory, label.replaceAll("[^A-Za-z0-9._-]", "-") + "-", kind + " " + label);
        R result = measurement.run(profiling);
        Profile profile = profiling.finish();
        if (profile != null) {
            profiles.put(label, profile);
        }
        return result;
    }

    /** Adds a run's profile to its entry in the summary, when it has one. */
    static void profile(Map<String, Object> run, Profile profile) {
        if (profile != null) {
            run.put("profile", profile.toJson());
        }
    }

    /** As a scenario run's summary gives them, and how many messages were timed. */
    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> values = ResultsWriter.percentiles(h);
        values.put("count", h.getTotalCount());
        return values;
    }
}
