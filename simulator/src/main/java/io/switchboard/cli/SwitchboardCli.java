package io.switchboard.cli;

import io.switchboard.core.server.ServeCommand;
import io.switchboard.simulator.loopback.FanoutCommand;
import io.switchboard.simulator.loopback.LoopbackCommand;
import io.switchboard.simulator.profile.LeakDetection;
import io.switchboard.simulator.run.CapacityCommand;
import io.switchboard.simulator.run.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code switchboard} command line. */
@Command(
        name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A testbed for WhatsApp-scale messaging architecture.",
        footer = {
            "",
            "The ./switchboard launcher also runs, in other modules:",
            "  bench [REGEX] [JMH OPTIONS]   JMH microbenchmarks (results/jmh/<timestamp>/; see jmh/README.md)",
            "  gatling [SIMULATION] --target HOST:PORT",
            "                                a Gatling simulation against a running server (see gatling/README.md)"
        },
        subcommands = {
            ServeCommand.class,
            RunCommand.class,
            CapacityCommand.class,
            ScenariosCommand.class,
            ReportCommand.class,
            CompareCommand.class,
            LoopbackCommand.class,
            FanoutCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SwitchboardCli {
    /** Libraries log at INFO only when asked: simplelogger.properties quiets them, a system property wins over it. */
    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description =
                    "Also show the libraries' INFO lines (Chronicle's start-up banner, mapping times; S3Proxy's Jetty).")
    void verbose(boolean verbose) {
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.log.net.openhft", "info");
            System.setProperty("org.slf4j.simpleLogger.log.org.gaul", "info");
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line {@code main} runs: a leak detection level Netty lacks is a usage error, exit code 2. */
    static CommandLine commandLine() {
        return new CommandLine(new SwitchboardCli()).setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof LeakDetection.BadLevel) {
                command.getErr().println("switchboard " + command.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
    }
}
