package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's {@code --help} renders as written: picocli reads descriptions as format strings, so a lone
 * {@code %} (as in "90% of") makes it warn on stderr and print the text unformatted.
 */
class SwitchboardCliHelpTest {
    @Test
    void shouldRenderEveryCommandsHelpWithoutAFormatWarning() {
        PrintStream stderr = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = new CommandLine(new SwitchboardCli());
            assertThat(cli.getUsageMessage()).contains("capacity");
            for (Map.Entry<String, CommandLine> command : cli.getSubcommands().entrySet()) {
                assertThat(command.getValue().getUsageMessage())
                        .as(command.getKey())
                        .isNotBlank();
            }
        } finally {
            System.setErr(stderr);
        }
        // Only picocli's own warnings: a fuzzer earlier in the same JVM logs its instrumentation to stderr too.
        assertThat(warnings.toString(StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }
}
