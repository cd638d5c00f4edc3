package io.switchboard.jmh;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What {@code ./switchboard bench} runs: JMH with the user's regex and options, writing {@code results.json} (JMH's
 * JSON) and {@code results.txt} (one row per benchmark and parameter set: score, error, units) into the run directory
 * given first, with {@link LatencyProfiler} added so that latency benchmarks report their percentiles. A regex that matches nothing is an error that names it, with exit code 2.
 */
public final class BenchRunner {
    private BenchRunner() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: BenchRunner RUN_DIR [REGEX] [JMH OPTIONS]");
            System.exit(2);
        }
        Path runDir = Path.of(args[0]);
        String[] jmhArgs = Arrays.copyOfRange(args, 1, args.length);
        CommandLineOptions given;
        try {
            given = new CommandLineOptions(jmhArgs);
        } catch (CommandLineOptionException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (given.shouldHelp()
                || given.shouldList()
                || given.shouldListWithParams()
                || given.shouldListProfilers()
                || given.shouldListResultFormats()) {
            // Listing and help write no results: let JMH's own entry point answer them.
            org.openjdk.jmh.Main.main(jmhArgs);
            return;
        }
        Files.createDirectories(runDir);
        Path json = runDir.resolve("results.json");
        Options options = new OptionsBuilder()
                .parent(given)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .addProfiler(LatencyProfiler.class)
                .build();
        Collection<RunResult> results;
        try {
            results = new Runner(options).run();
        } catch (NoBenchmarksException e) {
            System.err.println(
                    "bench: no benchmark matches " + given.getIncludes() + "; list them with ./switchboard bench -l");
            // JMH has written an empty results.json by now: leave no run directory for a run that did not happen.
            Files.deleteIfExists(json);
            Files.deleteIfExists(runDir);
            System.exit(2);
            return;
        } catch (RunnerException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
            return;
        }
        writeTable(results, runDir.resolve("results.txt"));
        System.out.println("bench: wrote " + json + " and " + runDir.resolve("results.txt"));
    }

    private static void writeTable(Collection<RunResult> results, Path file) throws IOException {
        try (PrintStream out = new PrintStream(file.toFile(), StandardCharsets.UTF_8)) {
            ResultFormatFactory.getInstance(ResultFormatType.TEXT, out).writeOut(results);
        }
    }
}
