package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ScenariosCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ScenariosCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldPrintOneLinePerScenarioNamePaddedThenQuestion() throws IOException {
        Files.writeString(dir.resolve("quickstart.yaml"), "# Question: does it work end to end?\n");
        Files.writeString(dir.resolve("x.yaml"), "# Question: is locked slower?\nname: locked\n");

        assertThat(run("--dir", dir.toString())).isZero();

        assertThat(out.toString())
                .isEqualTo(String.format("quickstart  does it work end to end?%n" + "locked      is locked slower?%n"));
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldListABrokenFileWithItsErrorAndExitOne() throws IOException {
        Files.writeString(dir.resolve("good.yaml"), "# Question: fine?\n");
        Files.writeString(dir.resolve("bad.yaml"), "users: 5\n");

        assertThat(run("--dir", dir.toString())).isEqualTo(1);

        assertThat(out.toString())
                .isEqualTo(String.format(
                        "bad   INVALID: %s line 1: field 'question': missing: %s%n" + "good  fine?%n",
                        dir.resolve("bad.yaml"),
                        "a scenario opens with a comment stating the question it answers, e.g. "
                                + "'# Question: how does p99 change from 1k to 10k msgs/s?'"));
    }

    @Test
    void shouldSayWhenThereAreNoScenarios() {
        assertThat(run("--dir", dir.toString())).isZero();

        assertThat(out.toString()).contains("no scenario files (*.yaml) in " + dir);
    }

    @Test
    void shouldRefuseAMissingDirectory() {
        assertThat(run("--dir", dir.resolve("nope").toString())).isEqualTo(2);

        assertThat(err.toString()).contains("switchboard scenarios: ", "nope: not a directory");
    }

    @Test
    void shouldDescribeItsOptionWithTheDefault() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("--dir", "default: scenarios", "--version");
    }
}
