package io.switchboard.cli;

import io.switchboard.simulator.loopback.FanoutCommand;
import io.switchboard.simulator.loopback.LoopbackCommand;
import io.switchboard.simulator.run.RunCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code switchboard} command line. */
@Command(
        name = "switchboard",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A testbed for WhatsApp-scale messaging architecture.",
        subcommands = {
            ServeCommand.class,
            RunCommand.class,
            ScenariosCommand.class,
            ReportCommand.class,
            CompareCommand.class,
            LoopbackCommand.class,
            FanoutCommand.class,
            CommandLine.HelpCommand.class
        })
public final class SwitchboardCli {
    public static void main(String[] args) {
        System.exit(new CommandLine(new SwitchboardCli()).execute(args));
    }
}
