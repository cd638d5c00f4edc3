package io.switchboard.simulator.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.switchboard.simulator.report.Figures;
import io.switchboard.simulator.scenario.Scenario;
import io.switchboard.simulator.scenario.Slo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes one run's files: {@code summary.json}, {@code send2deliver.hlog} (one interval per second, µs) and
 * {@code timeseries.csv}. The layout is described in results/README.md.
 */
public final class ResultsWriter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultsWriter() {}

    /** The summary as written to {@code summary.json}; SLO results included. */
    static Map<String, Object> summary(
            Scenario scenario,
            String variant,
            Map<String, String> server,
            RunOutcome outcome,
            List<Map<String, Object>> slos,
            Map<String, Object> env) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("scenario", scenario.name());
        summary.put("question", scenario.question());
        summary.put("variant", variant);
        summary.put(
                "transport",
                scenario.transport().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        summary.put("codec", scenario.wireFormat());
        summary.put("seed", scenario.seed());
        summary.put("durationSec", outcome.durationSec());
        summary.put("drainSec", round(outcome.drainSec()));
        summary.put("drainSettled", outcome.drainSettled());
        summary.put("users", scenario.users());
        summary.put("devicesPerUser", scenario.devicesPerUser());
        summary.put("offeredPerSec", scenario.messages().ratePerSecond());
        summary.put(
                "throughput",
                Map.of(
                        "sentPerSec",
                        round(outcome.sentPerSec()),
                        "deliveredPerSec",
                        round(outcome.deliveredPerSec()),
                        "deliveredByEnd",
                        outcome.windowDelivered(),
                        "sentToOfflinePerSec",
                        round(outcome.sentToOfflinePerSec())));
        summary.put(
                "latencyMicros",
                Map.of(
                        "send2deliver", percentiles(outcome.send2deliver()),
                        "send2ack", percentiles(outcome.send2ack()),
                        "send2receipt", percentiles(outcome.send2receipt()),
                        "sendLag", percentiles(outcome.sendLag())));
        Oracle.OracleCounts oracle = outcome.oracle();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("sent", oracle.sent());
        counts.put("acked", oracle.acked());
        counts.put("delivered", oracle.delivered());
        counts.put("lost", outcome.lost());
        counts.put("undeliveredAtEnd", outcome.undeliveredAtEnd());
        counts.put("redelivered", oracle.redelivered());
        counts.put("duplicatesInSession", oracle.duplicatesInSession());
        counts.put("duplicatesToApp", oracle.duplicatesToApp());
        counts.put("reordered", oracle.reordered());
        counts.put("receiptErrors", outcome.receiptErrors());
        counts.put("receiptsUndeliveredAtEnd", outcome.receiptsUndeliveredAtEnd());
        counts.put("readsIgnored", outcome.readsIgnored());
        counts.put("receiptsSentAgain", outcome.receiptsSentAgain());
        counts.put("sendErrors", oracle.sendErrors());
        counts.put("sendErrorsByCode", oracle.sendErrorsByCode());
        counts.put("refused", oracle.refused() + oracle.withheld());
        counts.put("withheld", oracle.withheld());
        counts.put("neverAcked", oracle.neverAcked());
        counts.put("unreadable", oracle.unreadable());
        summary.put("oracle", counts);
        if (outcome.heap() != null) {
            summary.put("memory", outcome.heap().toJson());
        }
        if (outcome.groups() != null) {
            RunOutcome.GroupFigures groups = outcome.groups();
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("count", groups.count());
            figures.put("largest", groups.largest());
            figures.put("memberships", groups.memberships());
            if (groups.changes() != null) {
                MembershipChanges.Figures changes = groups.changes();
                Map<String, Object> made = new LinkedHashMap<>();
                made.put("added", changes.added());
                made.put("removed", changes.removed());
                made.put("left", changes.left());
                made.put("skipped", changes.skipped());
                made.put("refused", changes.refused());
                made.put("arrivalsHeld", changes.arrivalsHeld());
                made.put("events", changes.events());
                figures.put("changes", made);
            }
            summary.put("groups", figures);
        }
        if (outcome.phones().pushWake() != null) {
            summary.put("pushWake", outcome.phones().pushWake());
        }
        if (outcome.phones().media() != null) {
            summary.put("media", outcome.phones().media());
        }
        summary.put("presence", outcome.presence().toJson());
        summary.put("client", outcome.client().toJson());
        summary.put("serverCounters", outcome.serverCounters());
        summary.put("gc", outcome.gc());
        if (outcome.resources() != null) {
            summary.put("resources", outcome.resources());
        }
        if (!outcome.outages().isEmpty()) {
            summary.put(
                    "faults",
                    outcome.outages().stream().map(Outages.Outage::toJson).toList());
        }
        WindowCosts.Figures costs = outcome.windowCosts();
        WindowCosts.PerMessage allocated = costs.perMessage(outcome.windowSent());
        if (allocated != null) {
            summary.put(
                    "allocation",
                    Map.of(
                            "windowBytes", costs.allocatedBytes(),
                            "processBytesPerMessage", allocated.process(),
                            "loadThreadBytesPerMessage", allocated.loadThread(),
                            "otherThreadsBytesPerMessage", allocated.otherThreads()));
        }
        WindowCosts.CpuPerMessage cpu = costs.cpuPerMessage(outcome.windowDelivered());
        if (cpu != null) {
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("processMicrosPerMessage", Math.round(cpu.processMicros() * 100) / 100.0);
            figures.put("loadThreadMicrosPerMessage", Math.round(cpu.loadThreadMicros() * 100) / 100.0);
            figures.put("coresBusy", Math.round(cpu.coresBusy() * 100) / 100.0);
            if (!Double.isNaN(cpu.stealShare())) {
                figures.put("hostStealShare", Math.round(cpu.stealShare() * 1000) / 1000.0);
            }
            summary.put("cpu", figures);
        }
        Map<String, Object> runEnv = new LinkedHashMap<>(env);
        if (!Double.isNaN(costs.loadCpuShare())) {
            runEnv.put("loadCpuShare", Math.round(costs.loadCpuShare() * 1000) / 1000.0);
        }
        summary.put("env", runEnv);
        summary.put("server", server);
        summary.put("slos", slos);
        return summary;
    }

    /** The percentiles summary.json gives for a latency histogram (µs): p50, p90, p99, p999 and max. */
    public static Map<String, Object> percentiles(Histogram histogram) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("p50", histogram.getValueAtPercentile(50));
        values.put("p90", histogram.getValueAtPercentile(90));
        values.put("p99", histogram.getValueAtPercentile(99));
        values.put("p999", histogram.getValueAtPercentile(99.9));
        values.put("max", histogram.getMaxValue());
        return values;
    }

    /** To one decimal, as summary.json gives rates. */
    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Writes {@code summary.json} alone, again: once every variant ran, for what compares them ({@link Efficiency}). */
    static void writeSummary(Path dir, Map<String, Object> summary) throws IOException {
        JSON.writeValue(dir.resolve("summary.json").toFile(), summary);
    }

    static void write(Path dir, Map<String, Object> summary, RunOutcome outcome) throws IOException {
        Files.createDirectories(dir);
        writeSummary(dir, summary);
        try (PrintStream log = new PrintStream(Files.newOutputStream(dir.resolve("send2deliver.hlog")))) {
            HistogramLogWriter writer = new HistogramLogWriter(log);
            writer.outputComment(
                    "send->deliver latency in microseconds from intended send time, one interval a second");
            writer.outputLogFormatVersion();
            writer.outputLegend();
            long second = 0;
            for (Histogram interval : outcome.perSecond()) {
                interval.setStartTimeStamp(second * 1000);
                interval.setEndTimeStamp((second + 1) * 1000);
                writer.outputIntervalHistogram(interval);
                second++;
            }
        }
        List<String> rows = new ArrayList<>();
        rows.add("second,sent,delivered,p99Micros");
        for (long[] row : outcome.timeline()) {
            rows.add(row[0] + "," + row[1] + "," + row[2] + "," + row[3]);
        }
        Files.write(dir.resolve("timeseries.csv"), rows);
    }

    /** Evaluates every objective against the outcome. */
    static List<Map<String, Object>> slos(List<Slo> slos, RunOutcome outcome) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (Slo slo : slos) {
            double value = quantity(slo.quantity(), outcome);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("text", slo.text());
            result.put("value", value);
            result.put(
                    "measured",
                    Slo.LATENCY_QUANTITIES.contains(slo.quantity()) ? Figures.micros(value) : Figures.format(value));
            result.put("ok", slo.comparison().test(value, slo.threshold()));
            results.add(result);
        }
        return results;
    }

    /** A growth of {@link ResourceTrend}; NaN (which no objective holds) where the run sampled none. */
    private static double growth(String quantity, RunOutcome outcome) {
        return outcome.resources() == null
                ? Double.NaN
                : (Double) outcome.resources().get(quantity);
    }

    private static double quantity(String quantity, RunOutcome outcome) {
        Histogram latency = outcome.send2deliver();
        Oracle.OracleCounts oracle = outcome.oracle();
        return switch (quantity) {
            case "p50" -> latency.getValueAtPercentile(50);
            case "p90" -> latency.getValueAtPercentile(90);
            case "p99" -> latency.getValueAtPercentile(99);
            case "p999" -> latency.getValueAtPercentile(99.9);
            case "max" -> latency.getMaxValue();
            case "ack.p99" -> outcome.send2ack().getValueAtPercentile(99);
            case "lag.p99" -> outcome.sendLag().getValueAtPercentile(99);
            case "lost" -> outcome.lost();
            case "undeliveredAtEnd" -> outcome.undeliveredAtEnd();
            case "drainSettled" -> outcome.drainSettled() ? 1 : 0;
            case "redelivered" -> oracle.redelivered();
            case "duplicatesInSession" -> oracle.duplicatesInSession();
            case "duplicatesToApp" -> oracle.duplicatesToApp();
            case "reordered" -> oracle.reordered();
            case "receiptErrors" -> outcome.receiptErrors();
            case "receiptsUndeliveredAtEnd" -> outcome.receiptsUndeliveredAtEnd();
            case "readsIgnored" -> outcome.readsIgnored();
            case "sendErrors" -> oracle.sendErrors();
            case "refused" -> oracle.refused() + oracle.withheld();
            case "unreadable" -> oracle.unreadable();
            case "deliveredPerSec" -> outcome.deliveredPerSec();
            case "wake.p99" -> outcome.phones().wakeP99Micros();
            case "wokenWithoutPush" -> outcome.phones().wokenWithoutPush();
            case "mediaCorrupt" -> outcome.phones().mediaCorrupt();
            case "mediaFailed" -> outcome.phones().mediaFailed();
            case "heapGrowthPct", "journalGrowthPct" -> growth(quantity, outcome);
            default -> throw new IllegalArgumentException("unknown SLO quantity " + quantity);
        };
    }
}
