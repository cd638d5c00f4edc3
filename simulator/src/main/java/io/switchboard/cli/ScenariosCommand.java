package io.switchboard.cli;

import io.switchboard.simulator.scenario.ScenarioCatalog;
import io.switchboard.simulator.scenario.ScenarioException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code switchboard scenarios}: one line per scenario file, its name and the question it answers. */
@Command(
        name = "scenarios",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the scenario files (*.yaml) in a directory: each one's name and the question it answers.",
            "A file that does not load is listed with its error, and the exit code is then 1. See docs/scenarios.md."
        })
public final class ScenariosCommand implements Callable<Integer> {
    @Option(
            names = "--dir",
            paramLabel = "DIR",
            defaultValue = "scenarios",
            description = "Directory of scenario files (default: ${DEFAULT-VALUE}).")
    private Path dir;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        List<ScenarioCatalog.Entry> entries;
        try {
            entries = ScenarioCatalog.list(dir);
        } catch (ScenarioException e) {
            spec.commandLine().getErr().println("switchboard scenarios: " + e.getMessage());
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (entries.isEmpty()) {
            out.println("no scenario files (*.yaml) in " + dir);
            out.flush();
            return 0;
        }
        int width = entries.stream().mapToInt(e -> e.name().length()).max().orElse(0);
        for (ScenarioCatalog.Entry entry : entries) {
            String text = entry.valid() ? entry.question() : "INVALID: " + entry.error();
            out.println(String.format("%-" + width + "s  %s", entry.name(), text));
        }
        out.flush();
        return entries.stream().allMatch(ScenarioCatalog.Entry::valid) ? 0 : 1;
    }
}
