package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code [prefix...] bash ../switchboard [-D...] serve --port P --data DIR} as a separate process, output to a file:
 * the server as a user runs it, for the tests that kill it, limit it or restart it.
 */
record ServerProcess(Process process, Path log, URI ws, long startMillis) {
    private static final Pattern SERVING = Pattern.compile("switchboard serving (ws://[^\\s,]+)");
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static ServerProcess start(Path log, int port, Path data, List<String> jvmOptions) throws Exception {
        return start(List.of(), log, port, data, jvmOptions);
    }

    /** @param prefix a command the launcher runs under, such as {@code prlimit --fsize=...} */
    static ServerProcess start(List<String> prefix, Path log, int port, Path data, List<String> jvmOptions)
            throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("bash", ROOT.resolve("switchboard").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("serve", "--port", Integer.toString(port), "--data", data.toString()));
        long startNs = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            // Output goes to a file, not a pipe: a pipe's reader races the process's exit.
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                Matcher serving = SERVING.matcher(Files.readString(log));
                if (serving.find()) {
                    return new ServerProcess(
                            process,
                            log,
                            URI.create(serving.group(1)),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(20);
            }
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            String output = Files.readString(log);
            // The fixed port can still be held for a moment after a kill; anything else is a failure.
            if (attempt < 5 && output.contains("Address already in use")) {
                System.out.println("ServerProcess: port " + port + " still in use, retrying");
                Thread.sleep(1000);
                continue;
            }
            fail("no serving line from " + command + "; output:\n" + output);
        }
    }

    /** Starts the server under a soft file-size limit ({@code prlimit --fsize}) and checks that the JVM has it. */
    static ServerProcess startLimited(long fileSizeLimit, Path log, int port, Path data, List<String> jvmOptions)
            throws Exception {
        ServerProcess limited =
                start(List.of("prlimit", "--fsize=" + fileSizeLimit + ":unlimited"), log, port, data, jvmOptions);
        assertThat(limited.fileSizeLimit()).as("the JVM runs under the limit").isEqualTo(fileSizeLimit);
        return limited;
    }

    /** The JVM's pid: the launcher (and prlimit) exec what they run, so the process started is the JVM. */
    long pid() {
        assertThat(process.toHandle().info().command().orElse(""))
                .as("the launched process is the JVM")
                .endsWith("/bin/java");
        return process.pid();
    }

    /** The JVM's soft file-size limit ({@code RLIMIT_FSIZE}), {@link Long#MAX_VALUE} when unlimited. */
    long fileSizeLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "limits"))) {
            if (line.startsWith("Max file size")) {
                String soft = line.substring("Max file size".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IllegalStateException("no file-size limit in /proc/" + pid() + "/limits");
    }

    /** Lifts the soft file-size limit on the live JVM: the disk takes writes again. */
    void liftFileSizeLimit() throws Exception {
        run("prlimit", "--pid", Long.toString(pid()), "--fsize=unlimited:unlimited");
        assertThat(fileSizeLimit()).isEqualTo(Long.MAX_VALUE);
    }

    /** Runs a command to its end and checks that it succeeded. */
    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS))
                .as(String.join(" ", command))
                .isTrue();
        assertThat(process.exitValue())
                .as(String.join(" ", command) + ": "
                        + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .isZero();
    }

    URI http() {
        return URI.create("http://" + ws.getAuthority());
    }

    /** Registers device 1 of {@code user} over HTTP and returns its token. */
    String register(long user) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(http().resolve("/v1/accounts"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"user\":" + user + ",\"device\":1}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response.body().replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    /** A loopback port free now, for a server that must come back on the same port after a kill. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    String output() throws IOException {
        return Files.readString(log);
    }

    /** The journal replay lines ("recovered 2 shards: ..."). */
    List<String> recoveryLines() throws IOException {
        return output().lines()
                .filter(line -> line.contains("recovered "))
                .map(line -> line.substring(line.indexOf("recovered ")))
                .toList();
    }

    /** What the server logged at WARN or ERROR (shown in summaries, not asserted). */
    List<String> warnings() throws IOException {
        return output().lines()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception"))
                .limit(10)
                .toList();
    }

    /** {@code kill -9} the JVM and check that it is gone, with everything it started. */
    void kill9() throws Exception {
        long pid = pid();
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -9 " + pid).isZero();
        assertThat(process.waitFor(10, TimeUnit.SECONDS))
                .as("the JVM is gone after kill -9")
                .isTrue();
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(SIGKILL_EXIT);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive))
                .as("pid " + pid + " no longer runs")
                .isEmpty();
        for (ProcessHandle descendant : descendants) {
            descendant.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM and a clean stop. */
    void stop() throws Exception {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("stopped after SIGTERM")
                .isTrue();
        assertThat(output()).contains("switchboard stopped");
    }

    void destroy() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
