package io.switchboard.simulator.profile;

import java.io.PrintStream;
import picocli.CommandLine.Option;

/** {@code --profile}, shared by the commands that measure: {@code run}, {@code loopback} and {@code fanout}. */
public final class ProfileOption {
    @Option(
            names = "--profile",
            description = {
                "Records a CPU and an allocation profile of each measured phase (after the warm-up, before the",
                "drain) with async-profiler, or with JFR where async-profiler cannot load, and writes CPU and",
                "allocation flame graphs (HTML) next to summary.json, plus a CPU breakdown by component."
            })
    boolean enabled;

    public boolean enabled() {
        return enabled;
    }

    /** The profiler for this command: none without {@code --profile}, so that nothing is loaded. */
    public Profiler open(PrintStream out) {
        return enabled ? Profiler.open(out) : Profiler.OFF;
    }
}
