package io.switchboard.simulator.run;

import io.switchboard.core.config.ConfigException;
import io.switchboard.simulator.net.ClientRoute;
import io.switchboard.simulator.profile.LeakDetection;
import io.switchboard.simulator.profile.MeasuredWindow;
import io.switchboard.simulator.scenario.Scenario;
import io.switchboard.simulator.scenario.ScenarioException;
import io.switchboard.simulator.scenario.ScenarioLoader;
import io.switchboard.simulator.scenario.Slo;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard capacity SCENARIO.yaml}: the highest offered rate at which a scenario holds its objectives, per
 * variant, found by steps on fresh servers ({@link CapacitySearch}, {@link CapacityStep} says what holding means).
 */
@Command(
        name = "capacity",
        mixinStandardHelpOptions = true,
        description = {
            "Finds how many msgs/s a scenario holds its objectives at: steps the offered rate (messages.rate), each on a"
                    + " fresh embedded server, doubling from --start until a step fails, then bisects between the last"
                    + " that held and the first that failed down to --resolution.",
            "A step holds when every objective holds, delivered/s within the window is at least 90%% of what the"
                    + " offered rate owed (refused sends owe theirs too), nothing is lost and the drain finished.",
            "Writes results/<yyyyMMdd-HHmmss>-<scenario>-capacity/ with summary.json (every step) and report.html"
                    + " (the curve).",
            "Exits 0 when every variant's capacity was found, 1 when not (even --start failed, or --max held), 2 on"
                    + " bad arguments or a bad scenario."
        })
public final class CapacityCommand implements Callable<Integer> {
    private static final String RECOVERY_LOG_LEVEL = "org.slf4j.simpleLogger.log.io.switchboard.core.owner.Recovery";

    @Parameters(paramLabel = "SCENARIO.yaml", description = "The scenario file.")
    Path file;

    @Option(
            names = "--slo",
            paramLabel = "OBJECTIVE",
            description = "An objective in the scenario's slo syntax, e.g. 'p99 < 50ms'; repeatable. Replaces the"
                    + " scenario's objectives (default: the scenario's).")
    List<String> sloTexts = new ArrayList<>();

    @Option(
            names = "--variant",
            paramLabel = "NAME",
            description = "A variant of the scenario to search; repeatable (default: every variant).")
    List<String> variantNames = new ArrayList<>();

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Overrides a scenario field as `run --set` does; messages.rate is the search's own.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--start", defaultValue = "1000", description = "First rate, msgs/s (default: ${DEFAULT-VALUE}).")
    int start;

    @Option(
            names = "--max",
            defaultValue = "2000000",
            description = "Highest rate tried, msgs/s (default: ${DEFAULT-VALUE}).")
    int max;

    @Option(
            names = "--resolution",
            paramLabel = "PERCENT",
            defaultValue = "5%",
            description =
                    "Stop when the first failed rate is within this of the highest held (default: ${DEFAULT-VALUE}).")
    String resolution;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            description = "Measured time of each step (default: the scenario's --set duration, else 5s).")
    String duration;

    @Option(
            names = "--warmup",
            paramLabel = "DURATION",
            description = "Warm-up of each step (default: the scenario's --set warmup, else 2s).")
    String warmup;

    @Option(
            names = "--jvm-warmup",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = {
                "Unrecorded seconds of each variant's traffic at the --start rate before its first step, so that the",
                "first step does not pay for the JIT compiling its code paths (default: ${DEFAULT-VALUE}; 0: none)."
            })
    int jvmWarmupSeconds;

    @Option(names = "--out", defaultValue = "results", description = "Results directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LeakDetection.forMeasuring();
        // Every step starts a server, whose recovery line would stand between every two progress lines; a system
        // property set by the user (-D...) still wins. Read when Recovery's logger is made, at the first step.
        if (System.getProperty(RECOVERY_LOG_LEVEL) == null) {
            System.setProperty(RECOVERY_LOG_LEVEL, "warn");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> stepOverrides = new LinkedHashMap<>(overrides);
        stepOverrides.put("duration", duration != null ? duration : overrides.getOrDefault("duration", "5s"));
        stepOverrides.put("warmup", warmup != null ? warmup : overrides.getOrDefault("warmup", "2s"));
        stepOverrides.remove("messages.rate"); // each step sets its own
        Scenario scenario;
        List<Slo> slos;
        CapacitySearch search;
        List<Scenario.Variant> variants;
        try {
            scenario = ScenarioLoader.load(file, stepOverrides, false, 1, variantNames);
            slos = objectives(scenario);
            search = search();
            variants = variants(scenario);
        } catch (ScenarioException | IllegalArgumentException e) {
            err.println("switchboard capacity: " + e.getMessage());
            return 2;
        }
        CapacityResults results = new CapacityResults(scenario, slos, stepOverrides, Environment.describe());
        Path dir = out.resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + scenario.name() + "-capacity");
        Files.createDirectories(dir);
        Files.copy(scenario.file(), dir.resolve("scenario.yaml"));
        stdout.printf(
                "switchboard capacity %s: the highest msgs/s holding %s%n  each step a fresh server, %s warm-up +"
                        + " %s measured over %s; doubling from %,d msgs/s, then bisecting to %s; JDK %s, %s cores%n",
                scenario.name(),
                String.join(", ", slos.stream().map(Slo::text).toList()),
                stepOverrides.get("warmup"),
                stepOverrides.get("duration"),
                scenario.transport().name().toLowerCase(Locale.ROOT).replace('_', '-'),
                start,
                resolution,
                results.env().get("jdk"),
                results.env().get("cores"));
        stdout.flush();
        StepClock clock = new StepClock(variants.size());
        for (Scenario.Variant variant : variants) {
            Map<String, String> server = RunCommand.serverOf(scenario, variant);
            stdout.println("variant " + variant.name() + " " + server);
            CapacitySearch.Result result;
            try {
                if (jvmWarmupSeconds > 0) {
                    stdout.printf(
                            "  JVM warm-up: %d s of %s's traffic at %,d msgs/s, not recorded%n",
                            jvmWarmupSeconds, variant.name(), start);
                    stdout.flush();
                    Map<String, String> atStart = new LinkedHashMap<>(stepOverrides);
                    atStart.put("messages.rate", String.valueOf(start));
                    RunCommand.warmUp(file, atStart, jvmWarmupSeconds, variant, server);
                }
                result = search.search(
                        rate -> step(stepOverrides, rate, variant, server, slos),
                        (number, step, left) -> clock.stepped(stdout, number, step, left));
            } catch (ConfigException e) {
                err.println("switchboard capacity: " + file + ": server setting: " + e.getMessage());
                return 2;
            }
            clock.variantDone();
            results.add(variant.name(), server, result, start, max);
            results.write(dir);
        }
        stdout.println();
        results.printTable(stdout);
        stdout.println("\nresults " + dir + "\nreport  " + dir.resolve("report.html"));
        List<String> notFound = results.notFound();
        notFound.forEach(problem -> err.println("switchboard capacity: " + problem));
        return notFound.isEmpty() ? 0 : 1;
    }

    /** One step: the scenario at {@code rate} on a fresh server, its own output discarded, judged. */
    private CapacityStep step(
            Map<String, String> stepOverrides,
            int rate,
            Scenario.Variant variant,
            Map<String, String> server,
            List<Slo> slos)
            throws Exception {
        Map<String, String> atRate = new LinkedHashMap<>(stepOverrides);
        atRate.put("messages.rate", String.valueOf(rate));
        Scenario scenario = ScenarioLoader.load(file, atRate, false, 1, List.of(variant.name()))
                .forVariant(variant);
        RunOutcome outcome = ScenarioRunner.run(
                scenario,
                variant.name(),
                server,
                ClientRoute.DIRECT,
                MeasuredWindow.Listener.NONE,
                new PrintStream(OutputStream.nullOutputStream()));
        return CapacityStep.judge(rate, outcome, slos);
    }

    private List<Slo> objectives(Scenario scenario) {
        if (sloTexts.isEmpty()) {
            if (scenario.slos().isEmpty()) {
                throw new IllegalArgumentException(
                        file + " has no objectives (slo): give one with --slo, e.g. --slo 'p99 < 50ms'");
            }
            return scenario.slos();
        }
        List<Slo> slos = new ArrayList<>();
        for (String text : sloTexts) {
            try {
                slos.add(Slo.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--slo '" + text + "': " + e.getMessage(), e);
            }
        }
        return slos;
    }

    private List<Scenario.Variant> variants(Scenario scenario) {
        List<Scenario.Variant> all = scenario.variants().isEmpty()
                ? List.of(new Scenario.Variant("default", Map.of()))
                : scenario.variants();
        if (variantNames.isEmpty()) {
            return all;
        }
        List<Scenario.Variant> picked = new ArrayList<>();
        for (String name : variantNames) {
            picked.add(all.stream()
                    .filter(variant -> variant.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("--variant " + name + ": " + file + " has "
                            + String.join(
                                    ", ",
                                    all.stream().map(Scenario.Variant::name).toList()))));
        }
        return picked;
    }

    /** The search {@code --start}, {@code --max} and {@code --resolution} ask for ({@code 5%} or {@code 5}: 0.05). */
    private CapacitySearch search() {
        String number = resolution.strip().replaceFirst("%$", "").strip();
        double percent;
        try {
            percent = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            percent = Double.NaN;
        }
        if (!(percent > 0 && percent < 100)) {
            throw new IllegalArgumentException(
                    "--resolution: expected a percentage above 0 and below 100 such as 5%, got '" + resolution + "'");
        }
        if (jvmWarmupSeconds < 0) {
            throw new IllegalArgumentException("--jvm-warmup: expected 0 or more seconds, got " + jvmWarmupSeconds);
        }
        if (start < 1 || max < start) {
            throw new IllegalArgumentException(
                    "--start and --max: expected 1 <= start <= max, got " + start + " and " + max);
        }
        return new CapacitySearch(start, max, percent / 100);
    }
}
