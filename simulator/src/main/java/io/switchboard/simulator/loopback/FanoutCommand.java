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
 * {@code switchboard fanout}: group messaging over real loopback WebSockets against embedded servers, every fan-out
 * variant at every group size, in one run, with a side-by-side table.
 */
@Command(
        name = "fanout",
        mixinStandardHelpOptions = true,
        description = {
            "Measures group fan-out over real loopback WebSockets: one sender and N-1 members online, group messages",
            "offered open loop so that every group size gets the same member deliveries/s; send->deliver and",
            "send->ack latency from each message's intended send time (HdrHistogram). Then, with the members",
            "offline, the heap and journal bytes one pending group message costs. Each variant runs in turn.",
            "With --profile, also CPU and allocation flame graphs of each live phase's measured window."
        })
public final class FanoutCommand implements Callable<Integer> {
    @Option(
            names = "--sizes",
            split = ",",
            defaultValue = "8,256,1024",
            description = "Group sizes, the sender included (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(
            names = "--deliveries",
            defaultValue = "50000",
            description = "Offered member deliveries/s (default: ${DEFAULT-VALUE}).")
    int deliveries;

    @Option(
            names = "--fanout",
            split = ",",
            defaultValue = "single-copy,per-member",
            description = "Fan-out variants to compare (default: ${DEFAULT-VALUE}).")
    List<String> fanouts;

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
            names = "--stored",
            defaultValue = "500000",
            description = "Member queue entries made for the stored cost (default: ${DEFAULT-VALUE}).")
    int storedEntries;

    @Option(
            names = "--variant",
            paramLabel = "NAME:KEY=VALUE[,KEY=VALUE...]",
            description = "A named server variant to compare (repeatable); replaces --fanout.")
    List<String> variants = new ArrayList<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "A server setting for every run, e.g. --set router.shards=1 (repeatable).")
    Map<String, String> serverSettings = new LinkedHashMap<>();

    @Option(
            names = "--out",
            defaultValue = "results",
            description = "Directory for <timestamp>-fanout/summary.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ProfileOption profile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LeakDetection.forMeasuring();
        String environment = LoadSummary.environment();
        System.out.println("fanout: " + deliveries + " member deliveries/s offered, " + size + "-byte bodies, warm-up "
                + warmupSeconds + " s, measured " + durationSeconds + " s; " + environment);
        Map<String, Map<String, String>> runs =
                ServerVariants.parse(variants, serverSettings, "router.fanout", fanouts, spec);
        List<FanoutResult> results = new ArrayList<>();
        Path directory = LoadSummary.directory(out, "fanout");
        Map<String, Profile> profiles = new LinkedHashMap<>();
        try (Profiler profiler = profile.open(System.out)) {
            for (int groupSize : sizes) {
                for (Map.Entry<String, Map<String, String>> variant : runs.entrySet()) {
                    FanoutSpec load = new FanoutSpec(
                            groupSize,
                            deliveries,
                            size,
                            Duration.ofSeconds(warmupSeconds),
                            Duration.ofSeconds(durationSeconds),
                            Duration.ofSeconds(30),
                            storedEntries);
                    System.out.printf("  running %-12s with groups of %,d ...%n", variant.getKey(), groupSize);
                    FanoutResult result = LoadSummary.profiled(
                            profiler,
                            directory,
                            "fanout",
                            label(variant.getKey(), groupSize),
                            profiles,
                            measured -> FanoutBenchmark.run(variant.getKey(), variant.getValue(), load, measured));
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

    /** How tables and summaries name a run: its variant with its group size. */
    private static String label(String variant, int groupSize) {
        return variant + "/" + groupSize;
    }

    private static String header() {
        return String.format(
                "%-12s %5s %8s %11s %11s %8s %8s %8s %8s %8s %6s %6s %9s %9s",
                "variant",
                "size",
                "msgs/s",
                "offered/s",
                "achieved/s",
                "p50 us",
                "p99 us",
                "p99.9 us",
                "ack p50",
                "ack p99",
                "lost",
                "errors",
                "heap B/m",
                "disk B/m");
    }

    private static String row(FanoutResult r) {
        Histogram h = r.sendToDeliver();
        return String.format(
                "%-12s %5d %8.1f %,11d %,11.0f %8d %8d %8d %8d %8d %6d %6d %,9d %,9d",
                r.variant(),
                r.spec().groupSize(),
                r.spec().messagesPerSecond(),
                r.spec().deliveriesPerSecond(),
                r.achievedDeliveriesPerSecond(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                r.sendToAck().getValueAtPercentile(50),
                r.sendToAck().getValueAtPercentile(99),
                r.lost(),
                r.errors(),
                r.heapBytesPerMessage(),
                r.journalBytesPerMessage());
    }

    private Path write(Path directory, List<FanoutResult> results, Map<String, Profile> profiles) throws Exception {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (FanoutResult r : results) {
            Map<String, Object> run = LoadSummary.run(r);
            run.put("groupSize", r.spec().groupSize());
            run.put("groupMessagesPerSec", r.spec().messagesPerSecond());
            run.put("offeredDeliveriesPerSec", r.spec().deliveriesPerSecond());
            run.put("achievedDeliveriesPerSec", Math.round(r.achievedDeliveriesPerSecond()));
            run.put("storedMessages", r.storedMessages());
            run.put("heapBytesPerStoredMessage", r.heapBytesPerMessage());
            run.put("journalBytesPerStoredMessage", r.journalBytesPerMessage());
            LoadSummary.profile(run, profiles.get(label(r.variant(), r.spec().groupSize())));
            runs.add(run);
        }
        Map<String, Object> summary = LoadSummary.summary();
        summary.put("offeredDeliveriesPerSec", deliveries);
        summary.put("bodyBytes", size);
        summary.put("warmupSec", warmupSeconds);
        summary.put("durationSec", durationSeconds);
        summary.put("storedEntries", storedEntries);
        summary.put("serverSettings", serverSettings);
        summary.put("runs", runs);
        return LoadSummary.write(directory, summary);
    }
}
