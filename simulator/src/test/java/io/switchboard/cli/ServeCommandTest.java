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

/** The CLI in-process: help and configuration errors, which must stop before anything starts. */
class ServeCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new SwitchboardCli());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void shouldDescribeEveryServeOption() {
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString()).contains("--port", "--host", "--data", "--config", "8080");
    }

    @Test
    void shouldListEveryCommandTheLauncherAccepts() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString())
                .contains("serve", "run", "capacity", "loopback", "fanout", "bench", "gatling", "--verbose");
    }

    @Test
    void shouldRefuseAnUnknownSettingNamingItAndItsFile() throws IOException {
        Path config = Files.writeString(dir.resolve("server.yaml"), "router:\n  shardz: 2\n");
        assertThat(run("serve", "--port", "0", "--data", dir.toString(), "--config", config.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("router.shardz", "server.yaml line 2");
    }

    @Test
    void shouldRefuseABadValueNamingTheKey() throws IOException {
        Path config = Files.writeString(dir.resolve("server.yaml"), "router:\n  routing: ring\n");
        assertThat(run("serve", "--data", dir.toString(), "--config", config.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("router.routing", "sharded|locked", "ring");
    }
}
