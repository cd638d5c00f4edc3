package io.switchboard.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.server.ServeCommand;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ServeCommand#main} in a JVM of its own, on a free port, whose class path is this module's test class path:
 * the server as a process, for the tests that stop it or kill it. Output goes to a file.
 */
public final class ServeProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("switchboard serving ws://([^\\s,/]+)/ws");
    private static final int SIGKILL_EXIT = 128 + 9;

    private final Process process;
    private final Path log;
    private final String address;

    private ServeProcess(Process process, Path log, String address) {
        this.process = process;
        this.log = log;
        this.address = address;
    }

    /** Starts {@code serve --port 0 --data data} and waits for its serving line. */
    public static ServeProcess start(Path data, Path log) throws IOException, InterruptedException {
        Process process = launch(data, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (process.isAlive() && System.nanoTime() < deadline) {
            Matcher serving = SERVING.matcher(Files.readString(log));
            if (serving.find()) {
                return new ServeProcess(process, log, serving.group(1));
            }
            Thread.sleep(50);
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("no serving line; output:\n" + Files.readString(log));
    }

    /** Launches {@code serve --port 0 --data data} with {@code jvmOptions}, output to {@code log}, without waiting. */
    public static Process launch(Path data, Path log, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The same --add-exports/--add-opens and -D flags this test JVM got from the build.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--add-") || arg.startsWith("-Dchronicle"))
                .forEach(command::add);
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                ServeCommand.class.getName(),
                "--port",
                "0",
                "--data",
                data.toString()));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** {@code host:port} of its HTTP and WebSocket listener. */
    public String address() {
        return address;
    }

    public URI http(String path) {
        return URI.create("http://" + address + path);
    }

    public Process process() {
        return process;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** {@code kill -9}: SIGKILL, nothing runs after it (no shutdown hook, no close). */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(10, TimeUnit.SECONDS))
                .as("gone after SIGKILL")
                .isTrue();
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(SIGKILL_EXIT);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
