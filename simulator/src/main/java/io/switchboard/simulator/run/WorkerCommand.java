package io.switchboard.simulator.run;

import io.switchboard.simulator.fault.TargetServer;
import io.switchboard.simulator.net.ClientRoute;
import io.switchboard.simulator.profile.MeasuredWindow;
import io.switchboard.simulator.scenario.Scenario;
import io.switchboard.simulator.scenario.ScenarioException;
import io.switchboard.simulator.scenario.ScenarioLoader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code run --workers N}: what the parent checks before it starts any worker ({@link #refused}, {@link #shares}), and
 * what a worker process does ({@link #run}): its share of the scenario against the target, its partial outcome written
 * for the parent ({@link Workers}) to merge.
 */
final class WorkerCommand {
    private WorkerCommand() {}

    /** Why {@code --workers} cannot run with these options, or null when it can. */
    static String refused(Integer workers, String target, boolean profiling) {
        if (workers == null) {
            return null;
        } else if (workers < 1) {
            return "--workers: expected 1 or more, got " + workers;
        } else if (target == null) {
            return "--workers runs against a server already running (--target HOST:PORT); for a server of the run's own"
                    + " (server.mode: process) start it with ./switchboard serve and give its address to --target";
        } else if (profiling) {
            return "--profile records this process, and with --workers the load runs in the workers: run without one";
        }
        return null;
    }

    /**
     * The workers' shares of {@code scenario}, after loading the scenario as each worker will (its users, groups,
     * rate and seed), so that a share that cannot run — such as one above {@link ScenarioLoader#MAX_CLIENT_DEVICES}
     * devices, or with fewer users than a group's size — is refused before any worker starts.
     */
    static List<UserShare> shares(Path file, Map<String, String> overrides, Scenario scenario, int workers) {
        if (scenario.users() < 2 * workers) {
            throw new ScenarioException(
                    file,
                    "--workers " + workers + " needs at least 2 users a worker (each share's conversations stay within"
                            + " it), got " + scenario.users() + " users");
        }
        List<UserShare> shares = UserShare.split(scenario, workers);
        for (UserShare share : shares) {
            try {
                ScenarioLoader.load(file, withShare(overrides, share), true, 1);
            } catch (ScenarioException e) {
                throw new ScenarioException(file, "--workers " + workers + ", " + share + ": " + e.getMessage());
            }
        }
        return shares;
    }

    /** The user's overrides with the share's over them. */
    static Map<String, String> withShare(Map<String, String> overrides, UserShare share) {
        Map<String, String> merged = new LinkedHashMap<>(overrides);
        merged.putAll(share.overrides());
        return merged;
    }

    /** A worker's run: its share against the target, then its partial outcome; 0 once written. */
    static int run(RunCommand command, PrintStream err) throws Exception {
        if (command.target == null || command.workerPartial == null) {
            err.println("switchboard run: --worker-share is set by --workers, with --target and --worker-partial");
            return 2;
        }
        Scenario scenario = ScenarioLoader.load(command.file, command.overrides, true);
        UserShare share = UserShare.parse(command.workerShare, scenario);
        InetAddress source = command.workerSource == null ? null : InetAddress.getByName(command.workerSource);
        try {
            TargetServer server = TargetServer.at(command.target);
            RunOutcome outcome = ProcessRun.drive(
                    scenario,
                    new Worker(share, source),
                    server,
                    null,
                    ClientRoute.DIRECT,
                    MeasuredWindow.Listener.NONE,
                    System.out);
            WorkerPartial.write(command.workerPartial, outcome);
            return 0;
        } catch (TargetServer.Unusable e) {
            // What to change on the server, as a run without workers says it: the parent shows this line.
            err.println("switchboard run: worker " + (share.worker() + 1) + ": --target: " + e.getMessage());
            return 2;
        }
    }
}
