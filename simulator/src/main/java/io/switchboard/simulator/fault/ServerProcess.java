package io.switchboard.simulator.fault;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code [prefix...] bash switchboard [-D...] serve --port P --data DIR} as a separate process, output to a file: the
 * server as a user runs it, for the tests and scenarios that kill it, limit it or restart it. The launcher is the
 * checkout's own ({@code switchboard} beside the {@code simulator} module these classes were loaded from), so it runs
 * the code under test and picks the newest JDK as a user's run would.
 */
public record ServerProcess(Process process, Path log, URI ws, long startMillis) {
    private static final Pattern SERVING = Pattern.compile("switchboard serving (ws://[^\\s,]+)");
    private static final Path ROOT = checkout();
    private static final int SIGKILL_EXIT = 128 + 9;
    private static final long START_TIMEOUT_SECONDS = 120;

    public static ServerProcess start(Path log, int port, Path data, List<String> jvmOptions) throws Exception {
        return start(List.of(), log, port, data, jvmOptions);
    }

    /** @param prefix a command the launcher runs under, such as {@code prlimit --fsize=...} */
    public static ServerProcess start(List<String> prefix, Path log, int port, Path data, List<String> jvmOptions)
            throws Exception {
        return start(prefix, log, port, data, jvmOptions, true);
    }

    /**
     * @param build whether the launcher may rebuild the jar first when sources changed; not when a server is started
     *     again in the middle of a run, which must run the code it started with
     */
    public static ServerProcess start(
            List<String> prefix, Path log, int port, Path data, List<String> jvmOptions, boolean build)
            throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("bash", ROOT.resolve("switchboard").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("serve", "--port", Integer.toString(port), "--data", data.toString()));
        long startNs = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            // Output goes to a file, not a pipe: a pipe's reader races the process's exit.
            ProcessBuilder launch =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            if (!build) {
                launch.environment().put("SWITCHBOARD_NO_BUILD", "1");
            }
            Process process = launch.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
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
            throw new IllegalStateException("no serving line from " + command + "; output:\n" + output);
        }
    }

    /** Starts the server under a soft file-size limit ({@code prlimit --fsize}) and checks that the JVM has it. */
    public static ServerProcess startLimited(long fileSizeLimit, Path log, int port, Path data, List<String> jvmOptions)
            throws Exception {
        ServerProcess limited =
                start(List.of("prlimit", "--fsize=" + fileSizeLimit + ":unlimited"), log, port, data, jvmOptions);
        check(limited.fileSizeLimit() == fileSizeLimit, "the JVM runs under the limit " + fileSizeLimit);
        return limited;
    }

    /** The JVM's pid: the launcher (and prlimit) exec what they run, so the process started is the JVM. */
    public long pid() {
        check(process.toHandle().info().command().orElse("").endsWith("/bin/java"), "the launched process is the JVM");
        return process.pid();
    }

    /** The {@code jcmd} of the JDK the server runs on, to ask its JVM for a heap dump or a GC. */
    public String jcmd() {
        String java = process.toHandle().info().command().orElseThrow();
        return Path.of(java).resolveSibling("jcmd").toString();
    }

    /** The JVM's soft file-size limit ({@code RLIMIT_FSIZE}), {@link Long#MAX_VALUE} when unlimited. */
    public long fileSizeLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "limits"))) {
            if (line.startsWith("Max file size")) {
                String soft = line.substring("Max file size".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IllegalStateException("no file-size limit in /proc/" + pid() + "/limits");
    }

    /** Lifts the soft file-size limit on the live JVM: the disk takes writes again. */
    public void liftFileSizeLimit() throws Exception {
        run("prlimit", "--pid", Long.toString(pid()), "--fsize=unlimited:unlimited");
        check(fileSizeLimit() == Long.MAX_VALUE, "the file-size limit is lifted");
    }

    /** The checkout's launcher, {@code switchboard}, which runs this code: how child JVMs of a run are started. */
    public static Path launcher() {
        return ROOT.resolve("switchboard");
    }

    /** Runs a command to its end and checks that it succeeded. */
    public static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new TimeoutException(String.join(" ", command) + " did not end in 10 s");
        }
        check(
                process.exitValue() == 0,
                String.join(" ", command) + " failed: "
                        + new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    public URI http() {
        return URI.create("http://" + ws.getAuthority());
    }

    /** Registers device 1 of {@code user} over HTTP and returns its token. */
    public String register(long user) throws IOException, InterruptedException {
        HttpResponse<String> response = AccountRegistration.post(http(), user);
        check(response.statusCode() == 201, "registration of user " + user + ": " + response.body());
        return AccountRegistration.token(response);
    }

    /** A loopback port free now, for a server that must come back on the same port after a kill. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** The journal replay lines ("recovered 2 shards: ..."). */
    public List<String> recoveryLines() throws IOException {
        return output().lines()
                .filter(line -> line.contains("recovered "))
                .map(line -> line.substring(line.indexOf("recovered ")))
                .toList();
    }

    /** What the server logged at WARN or ERROR (shown in summaries, not asserted). */
    public List<String> warnings() throws IOException {
        return output().lines()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception"))
                .limit(10)
                .toList();
    }

    /** {@code kill -9} the JVM and check that it is gone, with everything it started. */
    public void kill9() throws Exception {
        long pid = pid();
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        run("kill", "-9", Long.toString(pid));
        check(process.waitFor(10, TimeUnit.SECONDS), "the JVM is gone after kill -9");
        check(process.exitValue() == SIGKILL_EXIT, "killed by SIGKILL, exit " + process.exitValue());
        check(ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty(), "pid " + pid + " no longer runs");
        for (ProcessHandle descendant : descendants) {
            descendant.onExit().get(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM and a clean stop. */
    public void stop() throws Exception {
        process.destroy();
        check(process.waitFor(30, TimeUnit.SECONDS), "stopped after SIGTERM");
        check(output().contains("switchboard stopped"), "a clean stop; output:\n" + output());
    }

    public void destroy() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void check(boolean holds, String what) {
        if (!holds) {
            throw new IllegalStateException("expected: " + what);
        }
    }

    /**
     * The checkout these classes come from: they load from {@code simulator/target/classes} or {@code
     * simulator/target/switchboard.jar}, three levels below it.
     */
    private static Path checkout() {
        try {
            Path code = Path.of(ServerProcess.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return code.getParent().getParent().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("where the simulator's classes come from: " + e.getMessage(), e);
        }
    }
}
