package io.switchboard.simulator.loopback;

import io.switchboard.simulator.profile.LeakDetection;
import io.switchboard.simulator.profile.Profile;
import io.switchboard.simulator.profile.ProfileOption;
import io.switchboard.simulator.profile.Profiler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard loopback}: one-to-one traffic over real loopback WebSockets against an embedded server, every
 * routing variant at every offered rate, in one run, with a side-by-side table.
 */
@Command(
        name = "loopback",
        mixinStandardHelpOptions = true,
        description = {
            "Measures one-to-one messaging over real loopback WebSockets: N sender/recipient pairs, an open-loop",
            "offered rate, send->msg latency from each message's intended send time (HdrHistogram).",
            "Each routing variant runs the same load in turn against a fresh embedded server.",
            "With --profile, also CPU and allocation flame graphs of each run's measured phase."
        })
public final class LoopbackCommand implements Callable<Integer> {
    @Option(
            names = "--pairs",
            defaultValue = "100",
            description = "Sender/recipient pairs (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "20000,50000,100000",
            description = "Offered messages/s, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> rates;

    @Option(
            names = "--routing",
            split = ",",
            defaultValue = "sharded,locked",
            description = "Routing variants to compare (default: ${DEFAULT-VALUE}).")
    List<String> routings;

    @Option(names = "--size", defaultValue = "100", description = "Body bytes per message (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--warmup",
            defaultValue = "5",
            description = "Unrecorded seconds first (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--duration", defaultValue = "15", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(
            names = "--variant",
            paramLabel = "NAME:KEY=VALUE[,KEY=VALUE...]",
            description = {
                "A named server variant to compare (repeatable); replaces --routing. Settings are server keys, e.g.",
                "--variant metrics-on:metrics.enabled=true --variant metrics-off:metrics.enabled=false",
                "or --variant locked:router.routing=locked. Variants run in the order given, on the same load."
            })
    List<String> variants = new ArrayList<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A server setting for every run, e.g. --set router.shards=1 (repeatable).")
    Map<String, String> serverSettings = new LinkedHashMap<>();

    @Option(
            names = "--out",
            defaultValue = "results",
            description = "Directory for <timestamp>-loopback/summary.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ProfileOption profile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LeakDetection.forMeasuring();
        List<LoadResult> results = new ArrayList<>();
        String environment = LoadSummary.environment();
        System.out.println("loopback: " + pairs + " pairs, " + size + "-byte bodies, warm-up " + warmupSeconds
                + " s, measured " + durationSeconds + " s; " + environment);
        Map<String, Map<String, String>> runs = variants();
        Path directory = LoadSummary.directory(out, "loopback");
        Map<String, Profile> profiles = new LinkedHashMap<>();
        try (Profiler profiler = profile.open(System.out)) {
            for (int rate : rates) {
                for (Map.Entry<String, Map<String, String>> variant : runs.entrySet()) {
                    LoadSpec spec = new LoadSpec(
                            pairs,
                            rate,
                            size,
                            Duration.ofSeconds(warmupSeconds),
                            Duration.ofSeconds(durationSeconds),
                            Duration.ofSeconds(30));
                    System.out.printf("  running %-12s at %,d msgs/s ...%n", variant.getKey(), rate);
                    LoadResult result = LoadSummary.profiled(
                            profiler,
                            directory,
                            "loopback",
                            label(variant.getKey(), rate),
                            profiles,
                            measured -> LoopbackBenchmark.run(variant.getKey(), variant.getValue(), spec, measured));
                    results.add(result);
                    System.out.println("  " + row(result));
                }
            }
        }
        System.out.println();
        System.out.println(header());
        results.forEach(result -> System.out.println(row(result)));
        Profile.printCpuTable(profiles, System.out);
        Path file = write(directory, results, profiles);
        System.out.println("\nwrote " + file);
        boolean clean = results.stream().allMatch(r -> r.lost() == 0 && r.errors() == 0 && r.duplicates() == 0);
        return clean ? 0 : 1;
    }

    /** Each variant's server settings: --set, then the variant's own (or router.routing for each --routing). */
    private Map<String, Map<String, String>> variants() {
        return ServerVariants.parse(variants, serverSettings, "router.routing", routings, spec);
    }

    /** How tables and summaries name a run: its variant at its offered rate. */
    private static String label(String variant, int rate) {
        return variant + "@" + rate;
    }

    private static String header() {
        return String.format(
                "%-12s %10s %11s %8s %8s %8s %9s %8s %9s %9s %6s %6s",
                "variant",
                "offered/s",
                "achieved/s",
                "p50 us",
                "p99 us",
                "p99.9 us",
                "max us",
                "ack p99",
                "sent",
                "delivered",
                "lost",
                "errors");
    }

    private static String row(LoadResult r) {
        Histogram h = r.sendToDeliver();
        return String.format(
                "%-12s %,10d %,11.0f %8d %8d %8d %9d %8d %9d %9d %6d %6d",
                r.variant(),
                r.spec().ratePerSecond(),
                r.achievedPerSecond(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                h.getMaxValue(),
                r.sendToAck().getValueAtPercentile(99),
                r.sent(),
                r.delivered(),
                r.lost(),
                r.errors());
    }

    private Path write(Path directory, List<LoadResult> results, Map<String, Profile> profiles) throws Exception {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (LoadResult r : results) {
            Map<String, Object> run = LoadSummary.run(r);
            run.put("offeredPerSec", r.spec().ratePerSecond());
            run.put("achievedPerSec", Math.round(r.achievedPerSecond()));
            LoadSummary.profile(run, profiles.get(label(r.variant(), r.spec().ratePerSecond())));
            runs.add(run);
        }
        Map<String, Object> summary = LoadSummary.summary();
        summary.put("pairs", pairs);
        summary.put("bodyBytes", size);
        summary.put("warmupSec", warmupSeconds);
        summary.put("durationSec", durationSeconds);
        summary.put("serverSettings", serverSettings);
        summary.put("runs", runs);
        return LoadSummary.write(directory, summary);
    }
}
