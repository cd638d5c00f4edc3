package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.switchboard.simulator.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How the parent of {@code run --workers} starts its workers: their addresses and command lines. */
class WorkersTest {
    @TempDir
    Path dir;

    @Test
    void shouldGiveEachWorkerItsOwnLoopbackSourceAddressOnlyForAServerOnLoopback() throws IOException {
        assertThat(Workers.source("127.0.0.1:8080", 0)).isEqualTo("127.0.0.1");
        assertThat(Workers.source("127.0.0.1:8080", 3)).isEqualTo("127.0.0.4");
        assertThat(Workers.source("localhost:8080", 1)).isEqualTo("127.0.0.2");
        assertThat(Workers.source("192.0.2.7:8080", 1))
                .as("a server elsewhere: the kernel picks")
                .isNull();
    }

    @Test
    void shouldStartAWorkerThroughTheLauncherWithItsShareOverTheUsersOverrides() throws IOException {
        Path file = Files.writeString(dir.resolve("w.yaml"), "# Question: q?\nusers: 10\nmessages: {rate: 100}\n");
        UserShare second =
                UserShare.split(ScenarioLoader.load(file, Map.of(), true, 2), 2).get(1);

        List<String> command = Workers.command(
                file, "127.0.0.1:8080", Map.of("duration", "3s", "users", "999"), second, dir.resolve("p.json"), null);

        assertThat(command.get(1)).endsWith("/switchboard");
        assertThat(String.join(" ", command))
                .contains("run " + file + " --target 127.0.0.1:8080")
                .contains("--set duration=3s")
                .as("a worker runs at this JVM's leak detection level (the tests': paranoid)")
                .contains("-Dio.netty.leakDetection.level=paranoid run ")
                .contains("--worker-share 1,2,5,0 --worker-partial " + dir.resolve("p.json"))
                .doesNotContain("--worker-source");
        assertThat(command.lastIndexOf("users=5"))
                .as("the share's users come after, and so over, the user's own")
                .isGreaterThan(command.indexOf("users=999"));
    }

    @Test
    void shouldStateTheCapOfDevicesAWorkerTakesInTheHelp() {
        String help = new CommandLine(new RunCommand())
                .getCommandSpec()
                .findOption("--workers")
                .description()[0];

        assertThat(help).contains(String.format("At most %,d devices a worker", ScenarioLoader.MAX_CLIENT_DEVICES));
    }

    @Test
    void shouldFailTheRunAsSoonAsAWorkerDiesWithItsExitCodeAndStderrTail() throws Exception {
        Path err = Files.writeString(dir.resolve("worker-2.err"), "line 1\nException: the worker's own words\n");
        Process running = new ProcessBuilder("sleep", "60").start();
        Process dying = new ProcessBuilder("bash", "-c", "sleep 0.3; exit 7").start();
        try {
            long started = System.nanoTime();

            Throwable failure = catchThrowable(
                    () -> Workers.awaitEnd(List.of(running, dying), List.of(dir.resolve("none.err"), err)));

            assertThat(failure)
                    .isInstanceOf(Workers.Failed.class)
                    .hasMessageContaining("worker 2 failed (exit 7)")
                    .hasMessageContaining("Exception: the worker's own words");
            assertThat(System.nanoTime() - started)
                    .as("without waiting for the other worker")
                    .isLessThan(TimeUnit.SECONDS.toNanos(10));
        } finally {
            running.destroyForcibly();
        }
    }
}
