package io.switchboard.simulator.run;

import io.switchboard.core.config.ConfigException;
import io.switchboard.simulator.fault.TargetServer;
import io.switchboard.simulator.net.ClientRoute;
import io.switchboard.simulator.profile.LeakDetection;
import io.switchboard.simulator.profile.MeasuredWindow;
import io.switchboard.simulator.profile.Profile;
import io.switchboard.simulator.profile.ProfileOption;
import io.switchboard.simulator.profile.ProfiledRun;
import io.switchboard.simulator.profile.Profiler;
import io.switchboard.simulator.scenario.Scenario;
import io.switchboard.simulator.scenario.ScenarioException;
import io.switchboard.simulator.scenario.ScenarioLoader;
import io.switchboard.simulator.scenario.Slo;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard run SCENARIO.yaml}: runs a scenario against the embedded server, a server process, or a server
 * already running ({@code --target}), and writes its results.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a scenario (see docs/scenarios.md) against an embedded server, a server",
            "process of its own (server.mode: process) or one already running (--target):",
            "live progress, a summary table, the oracle's counts, and",
            "results/<yyyyMMdd-HHmmss>-<scenario>/ with summary.json, the histogram log,",
            "timeseries.csv and report.html. A scenario with variants runs each on the same seeded workload.",
            "With --profile, also CPU and allocation flame graphs of each variant's measured phase.",
            "With --target and --workers N, N worker processes share the users and the run merges their results.",
            "Exits 1 when an SLO fails, 2 on a bad scenario, 3 when a worker fails."
        })
public final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SCENARIO.yaml", description = "The scenario file.")
    Path file;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Overrides a scenario field, e.g. --set messages.rate=500 --set server.router.shards=1"
                    + " --set variants.direct.server.router.outboxHighBytes=8m.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(
            names = "--target",
            paramLabel = "HOST:PORT",
            description = "Runs against a server already running at HOST:PORT (./switchboard serve) instead of one"
                    + " of the run's own. The scenario may set no server settings, no kill or restart faults and no"
                    + " variants; the server must take registrations of users 1..N from this address on a fresh"
                    + " --data (-Dswitchboard.limits.registrations.perMinute=0). See docs/scenarios.md.")
    String target;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "With --target: N worker processes, each driving its own contiguous share of the users"
                    + " (their conversations and groups within it) at its share of the rate, from its own loopback"
                    + " address (127.0.0.K+1 for worker K); one summary of them all. At most 18,000 devices a worker"
                    + " (the open-files limit). See docs/scenarios.md.")
    Integer workers;

    @Option(names = "--worker-share", hidden = true, description = "Set by --workers: this process is a worker.")
    String workerShare;

    @Option(names = "--worker-partial", hidden = true, description = "Set by --workers: where the worker writes.")
    Path workerPartial;

    @Option(names = "--worker-source", hidden = true, description = "Set by --workers: the clients' source address.")
    String workerSource;

    @Option(
            names = "--jvm-warmup",
            paramLabel = "SECONDS",
            description = {
                "Unrecorded seconds of each variant's traffic before the measured runs, so that no variant pays",
                "for the JIT compiling its code paths (default: 10 with two or more variants, else 0)."
            })
    Integer jvmWarmupSeconds;

    @Option(
            names = "--variant",
            paramLabel = "NAME",
            description = "Runs only this variant of the scenario's (repeat for more, in the file's order), e.g. the"
                    + " direct ones of throughput-ceiling.yaml at a rate the others cannot take.")
    List<String> only = new ArrayList<>();

    @Option(names = "--out", defaultValue = "results", description = "Results directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    ProfileOption profile;

    /** Profiles with JFR even where async-profiler loads: how tests reach the fallback. */
    boolean profileWithJfr;

    @Spec
    CommandSpec spec;

    /** The server at {@code --target}, null without. */
    private TargetServer targetServer;

    /** The workers' shares with {@code --workers}; empty without. */
    private List<UserShare> shares = List.of();

    /** Where socket clients connect: the embedded server itself, or a proxy in front of it in tests. */
    private final ClientRoute route;

    public RunCommand() {
        this(ClientRoute.DIRECT);
    }

    RunCommand(ClientRoute route) {
        this.route = route;
    }

    @Override
    public Integer call() throws Exception {
        LeakDetection.forMeasuring();
        PrintStream err = new PrintStream(System.err, true);
        if (workerShare != null) {
            return WorkerCommand.run(this, err);
        }
        Scenario scenario;
        try {
            String refused = WorkerCommand.refused(workers, target, profile.enabled());
            if (refused != null) {
                err.println("switchboard run: " + refused);
                return 2;
            }
            // Against a --target the variants stay as written: such a run refuses more than one (its users register
            // once), and its workers load the file whole.
            scenario = ScenarioLoader.load(
                    file, overrides, target != null, workers == null ? 1 : workers, target == null ? only : List.of());
            List<String> named =
                    scenario.variants().stream().map(Scenario.Variant::name).toList();
            for (String name : only) {
                if (!named.contains(name)) {
                    err.println("switchboard run: --variant " + name + ": " + file + " has "
                            + (named.isEmpty() ? "no variants" : "the variants " + String.join(", ", named)));
                    return 2;
                }
            }
            if (workers != null) {
                shares = WorkerCommand.shares(file, overrides, scenario, workers);
            }
            if (target != null) {
                if (jvmWarmupSeconds != null && jvmWarmupSeconds > 0) {
                    err.println("switchboard run: --jvm-warmup runs against a server of the run's own; not with"
                            + " --target, whose users register once");
                    return 2;
                }
                targetServer = TargetServer.at(target);
            }
        } catch (ScenarioException e) {
            err.println("switchboard run: " + e.getMessage());
            return 2;
        } catch (TargetServer.Unusable e) {
            err.println("switchboard run: --target: " + e.getMessage());
            return 2;
        }
        PrintStream stdout = System.out;
        Path dir = out.resolve(
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + scenario.name());
        Files.createDirectories(dir);
        Files.copy(scenario.file(), dir.resolve("scenario.yaml"));
        Map<String, Object> env = Environment.describe();
        stdout.println("switchboard run " + scenario.name() + ": " + scenario.question());
        stdout.println("  " + scenario.users() + " users"
                + (scenario.devicesPerUser() > 1 ? " × " + scenario.devicesPerUser() + " devices" : "") + " over "
                + scenario.transport().name().toLowerCase(Locale.ROOT).replace('_', '-') + ", "
                + scenario.messages().ratePerSecond() + " msgs/s for "
                + scenario.duration().toSeconds()
                + " s after " + scenario.warmup().toSeconds() + " s warm-up; seed " + scenario.seed() + "; JDK "
                + env.get("jdk") + ", " + env.get("cores") + " cores"
                + (Boolean.TRUE.equals(env.get("transparentHugePages")) ? ", heap on huge pages" : ""));
        try (Profiler profiler = profile.enabled() && profileWithJfr
                ? Profiler.jfr(stdout, "async-profiler not used: JFR forced")
                : profile.open(stdout)) {
            return runVariants(scenario, dir, env, profiler, stdout, err);
        }
    }

    /**
     * The JVM warm-up if any, then every variant in turn: its results, its profile with {@code --profile}, its
     * objectives; then the side-by-side tables and the report. 0 when every objective holds.
     */
    private int runVariants(
            Scenario scenario,
            Path dir,
            Map<String, Object> env,
            Profiler profiler,
            PrintStream stdout,
            PrintStream err)
            throws Exception {
        List<Scenario.Variant> variants = scenario.variants().isEmpty()
                ? List.of(new Scenario.Variant("default", Map.of()))
                : scenario.variants().stream()
                        .filter(variant -> only.isEmpty() || only.contains(variant.name()))
                        .toList();
        int jvmWarmup = jvmWarmupSeconds != null ? jvmWarmupSeconds : variants.size() > 1 && target == null ? 10 : 0;
        if (jvmWarmup > 0) {
            for (Scenario.Variant variant : variants) {
                stdout.println("JVM warm-up: " + jvmWarmup + " s of " + variant.name() + "'s traffic, not recorded");
                warmUp(jvmWarmup, variant, serverOf(scenario, variant));
            }
        }
        List<Map<String, Object>> summaries = new ArrayList<>();
        List<Path> summaryDirs = new ArrayList<>();
        Map<String, Profile> profiles = new LinkedHashMap<>();
        Map<String, Slo> slosByText = new LinkedHashMap<>();
        scenario.slos().forEach(slo -> slosByText.put(slo.text(), slo));
        boolean allPassed = true;
        for (Scenario.Variant variant : variants) {
            Map<String, String> server = serverOf(scenario, variant);
            Scenario variantScenario = scenario.forVariant(variant);
            stdout.println("variant " + variant.name() + " " + server
                    + (variantScenario.encryption() == scenario.encryption()
                            ? ""
                            : " encryption "
                                    + variantScenario.encryption().name().toLowerCase(java.util.Locale.ROOT)));
            Path variantDir = scenario.variants().isEmpty() ? dir : dir.resolve(variant.name());
            ProfiledRun profiling = profiler.measure(variantDir, "", scenario.name() + " " + variant.name());
            RunOutcome outcome;
            try {
                outcome = !shares.isEmpty()
                        ? Workers.run(file, target, overrides, shares, targetServer, variantDir, stdout)
                        : targetServer != null
                                ? ProcessRun.drive(variantScenario, null, targetServer, null, route, profiling, stdout)
                                : ScenarioRunner.run(variantScenario, variant.name(), server, route, profiling, stdout);
            } catch (Workers.Failed e) {
                err.println("switchboard run: " + e.getMessage());
                return 3;
            } catch (ConfigException e) {
                err.println("switchboard run: " + file + ": server setting: " + e.getMessage());
                return 2;
            } catch (TargetServer.Unusable e) {
                err.println("switchboard run: --target: " + e.getMessage());
                return 2;
            }
            List<Map<String, Object>> slos = ResultsWriter.slos(scenario.slos(), outcome);
            Map<String, Object> summary =
                    ResultsWriter.summary(variantScenario, variant.name(), server, outcome, slos, env);
            if (targetServer != null) {
                summary.put("target", targetServer.toJson());
            }
            if (!shares.isEmpty()) {
                summary.put("workers", shares.size());
            }
            Profile profile = profiling.finish();
            if (profile != null) {
                summary.put("profile", profile.toJson());
                profiles.put(variant.name(), profile);
                stdout.println("  profile " + variantDir.resolve(profile.cpuFlameGraph()) + ", "
                        + variantDir.resolve(profile.allocFlameGraph()));
            }
            ResultsWriter.write(variantDir, summary, outcome);
            if (outcome.oracle().sendErrors() > 0) {
                stdout.println("  send errors by code " + outcome.oracle().sendErrorsByCode());
            }
            summaries.add(summary);
            summaryDirs.add(variantDir);
            for (Map<String, Object> slo : slos) {
                boolean ok = (Boolean) slo.get("ok");
                allPassed &= ok;
                stdout.printf(
                        "  SLO %-26s %s (measured %s)%n", slo.get("text"), ok ? "ok" : "FAILED", slo.get("measured"));
            }
        }
        if (Efficiency.add(summaries)) {
            for (int i = 0; i < summaries.size(); i++) {
                ResultsWriter.writeSummary(summaryDirs.get(i), summaries.get(i));
            }
        }
        stdout.println();
        SummaryTable.print(summaries, stdout);
        Profile.printCpuTable(profiles, stdout);
        Path report = Reports.write(
                dir,
                scenario.variants().isEmpty()
                        ? List.of()
                        : variants.stream().map(Scenario.Variant::name).toList());
        stdout.println("\nresults " + dir + "\nreport  " + report);
        return allPassed ? 0 : 1;
    }

    /** The scenario's server settings with the variant's over them. */
    static Map<String, String> serverOf(Scenario scenario, Scenario.Variant variant) {
        Map<String, String> server = new LinkedHashMap<>(scenario.server());
        server.putAll(variant.server());
        return server;
    }

    /**
     * The same workload for {@code seconds}, against a server of its own, with nothing recorded: the JIT compiles the
     * client and server paths before any variant is measured. Variants share this JVM, so without it the first one
     * measured would also pay for that.
     */
    /**
     * Variants share one JVM, and the JIT compiles a variant's code paths (a journal's, a codec's, a routing's) only
     * when they run: warming only the first would leave the others to compile during their measured windows.
     */
    private void warmUp(int seconds, Scenario.Variant variant, Map<String, String> server) throws Exception {
        warmUp(file, overrides, seconds, variant, server);
    }

    /**
     * Runs {@code seconds} of the variant's traffic, unrecorded, on a server of its own, so that the JIT has compiled
     * its code paths before anything is measured; {@code overrides} as the scenario's {@code --set}s.
     */
    static void warmUp(
            Path file, Map<String, String> overrides, int seconds, Scenario.Variant variant, Map<String, String> server)
            throws Exception {
        Map<String, String> shortened = new LinkedHashMap<>(overrides);
        shortened.put("duration", seconds + "s");
        shortened.put("warmup", "0s");
        Scenario warmUp = ScenarioLoader.load(file, shortened, false, 1, List.of(variant.name()))
                .forVariant(variant);
        ScenarioRunner.run(
                warmUp,
                "jvm-warm-up",
                server,
                ClientRoute.DIRECT,
                MeasuredWindow.Listener.NONE,
                new PrintStream(OutputStream.nullOutputStream()));
    }
}
