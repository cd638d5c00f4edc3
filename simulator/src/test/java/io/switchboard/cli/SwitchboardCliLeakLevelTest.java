package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A measuring command run with a leak detection level Netty lacks says so in one line and exits 2. */
class SwitchboardCliLeakLevelTest {
    private static final String PROPERTY = "io.netty.leakDetection.level";

    @Test
    void shouldRefuseALeakDetectionLevelNettyLacksWithOneLineAndExitCodeTwo() {
        String level = System.getProperty(PROPERTY);
        StringWriter err = new StringWriter();
        CommandLine cli = SwitchboardCli.commandLine();
        cli.setErr(new PrintWriter(err, true));
        System.setProperty(PROPERTY, "loud");
        int exit;
        try {
            exit = cli.execute("run", "../scenarios/quickstart.yaml");
        } finally {
            if (level == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, level);
            }
        }

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString())
                .isEqualTo("switchboard run: -Dio.netty.leakDetection.level: expected disabled, simple, advanced or"
                        + " paranoid, got 'loud'" + System.lineSeparator());
    }
}
