package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.simulator.fault.ServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run with a {@code diskFull} fault starts its server as a process of its own on a tmpfs it mounts over the server's
 * data directory. Stopped with SIGTERM (or Ctrl-C), the run runs no finally block; it must still stop that server and
 * unmount that tmpfs, or the server would go on serving and the tmpfs stay mounted in the machine's temp directory.
 */
class StoppedFaultRunIT {
    /** The run names the server's log, in the directory it made for the server: its data is mounted there. */
    private static final Pattern SERVER_LOG = Pattern.compile("\\(log (\\S+/server-1\\.log)\\)");

    @TempDir
    Path temp;

    @Test
    @Timeout(240)
    void shouldStopItsServerAndUnmountItsDiskWhenTheRunIsStopped() throws Exception {
        Path scenario = Files.writeString(temp.resolve("stopped.yaml"), """
                # Question: does a stopped run leave its server and its disk behind?
                name: stopped
                seed: 1
                users: 10
                duration: 120s
                warmup: 1s
                drain: 5s
                messages: {rate: 10}
                server: {mode: process}
                faults:
                  - {kind: diskFull, at: 100s, for: 1s}
                """);
        Path out = temp.resolve("runs");
        Path log = temp.resolve("run.log");
        ProcessBuilder launch = new ProcessBuilder(
                        "bash",
                        ServerProcess.launcher().toString(),
                        "run",
                        scenario.toString(),
                        "--out",
                        out.toString(),
                        "--jvm-warmup",
                        "0")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        launch.environment().put("SWITCHBOARD_NO_BUILD", "1");
        Process run = launch.start();
        Path serverDir = null;
        try {
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("online at the start")) {
                assumeTrue(!Files.readString(log).contains("CAP_SYS_ADMIN"), "mounting a tmpfs needs root here");
                assertThat(run.isAlive())
                        .as("the run, which printed:%n%s", Files.readString(log))
                        .isTrue();
                assertThat(System.nanoTime()).as("the run's clients online").isLessThan(deadlineNs);
                Thread.sleep(100);
            }
            Matcher logged = SERVER_LOG.matcher(Files.readString(log));
            assertThat(logged.find())
                    .as("the server's log named in:%n%s", Files.readString(log))
                    .isTrue();
            serverDir = Path.of(logged.group(1)).getParent();
            assertThat(mountsUnder(serverDir))
                    .as("the tmpfs over the server's data")
                    .hasSize(1);
            assertThat(serversOf(serverDir)).as("the run's server process").isNotEmpty();

            run.destroy();

            assertThat(run.waitFor(90, TimeUnit.SECONDS)).as("the run ended").isTrue();
            assertThat(serversOf(serverDir)).as("server processes left running").isEmpty();
            assertThat(mountsUnder(serverDir))
                    .as("mounts left over the server's data")
                    .isEmpty();
        } finally {
            run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            if (serverDir != null) {
                for (ProcessHandle server : serversOf(serverDir)) {
                    server.destroyForcibly();
                    server.onExit().get(10, TimeUnit.SECONDS);
                }
                for (String mount : mountsUnder(serverDir)) {
                    new ProcessBuilder("umount", mount).start().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Mount points under {@code dir}, from {@code /proc/mounts}. */
    private static List<String> mountsUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/mounts")).stream()
                .map(line -> line.split(" ")[1])
                .filter(point -> point.startsWith(dir.toString()))
                .toList();
    }

    /** Live servers whose command line names a directory under {@code dir}, where they serve their data. */
    private static List<ProcessHandle> serversOf(Path dir) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info()
                        .commandLine()
                        .map(line -> line.contains("serve") && line.contains(dir.toString()))
                        .orElse(false))
                .toList();
    }
}
