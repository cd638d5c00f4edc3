package io.switchboard.simulator.run;

import io.switchboard.simulator.fault.ServerProcess;
import io.switchboard.simulator.fault.TargetServer;
import io.switchboard.simulator.profile.LeakDetection;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The parent of {@code run --target HOST:PORT --workers N}: one process holds at most about 18,000 sockets (20,000
 * open files), so N worker processes drive the server, each its own {@link UserShare}. Each worker is the same launcher
 * ({@code switchboard run}, with the JVM flags it adds and this run's {@code -Dswitchboard.*} properties) given its
 * share on its command line; it registers its users, connects its devices from its own loopback address (worker k from
 * 127.0.0.(k+1), when the server is on loopback: each source address has its own ephemeral ports), says it is ready,
 * and starts when every worker is. Its output shows here line by line, prefixed with its number, and goes to
 * {@code workers/worker-K.log}; its stderr to {@code workers/worker-K.err}. At the end each writes {@code
 * workers/partial-K.json} ({@link WorkerPartial}), which this process merges into the run's one outcome, with the
 * server's counters scraped over the whole run.
 *
 * <p>A worker that exits before its end, or with a non-zero code, ends the run: the others are stopped and its exit
 * code and the tail of its stderr are shown ({@link Failed}).
 */
final class Workers {
    /** How long the workers may take to register and connect before the start. */
    private static final long READY_TIMEOUT_MINUTES = 10;

    private static final int STDERR_TAIL_LINES = 20;

    private Workers() {}

    /** A worker failed: which, its exit code, and the end of its stderr. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    /** The command of worker {@code share}: the launcher's {@code run}, with the share's overrides over the user's. */
    static List<String> command(
            Path file, String target, Map<String, String> overrides, UserShare share, Path partial, String source) {
        List<String> command =
                new ArrayList<>(List.of("bash", ServerProcess.launcher().toString()));
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("switchboard."))
                .sorted()
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        command.add(LeakDetection.jvmOption());
        command.addAll(List.of("run", file.toString(), "--target", target));
        overrides.forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        share.overrides().forEach((key, value) -> command.addAll(List.of("--set", key + "=" + value)));
        command.addAll(List.of("--worker-share", share.argument(), "--worker-partial", partial.toString()));
        if (source != null) {
            command.addAll(List.of("--worker-source", source));
        }
        return command;
    }

    /**
     * The address worker {@code worker} connects from: 127.0.0.(worker + 1) when the server is on loopback (Linux
     * routes all of 127/8 to the loopback interface), else none, and the kernel picks.
     */
    static String source(String target, int worker) throws IOException {
        String host = URI.create("ws://" + target).getHost();
        return InetAddress.getByName(host).isLoopbackAddress() ? "127.0.0." + (worker + 1) : null;
    }

    /** Runs every share in a worker of its own and merges their outcomes. */
    static RunOutcome run(
            Path file,
            String target,
            Map<String, String> overrides,
            List<UserShare> shares,
            TargetServer server,
            Path dir,
            PrintStream out)
            throws Exception {
        Path workDir = Files.createDirectories(dir.resolve("workers"));
        List<Process> processes = new CopyOnWriteArrayList<>();
        List<Path> partials = new ArrayList<>();
        List<Path> errs = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(shares.size());
        List<Thread> relays = new ArrayList<>();
        // A run stopped with Ctrl-C runs no finally block: its workers must not drive the server on without it.
        Thread stopWorkers = new Thread(() -> processes.forEach(Process::destroyForcibly), "switchboard-workers-stop");
        Runtime.getRuntime().addShutdownHook(stopWorkers);
        try {
            for (UserShare share : shares) {
                int k = share.worker() + 1;
                Path partial = workDir.resolve("partial-" + k + ".json");
                Path err = workDir.resolve("worker-" + k + ".err");
                String source = source(target, share.worker());
                out.println("  " + share + (source == null ? "" : ", from " + source));
                ProcessBuilder launch = new ProcessBuilder(command(file, target, overrides, share, partial, source))
                        .redirectError(err.toFile());
                // The jar the run itself was launched from: N workers must not each rebuild it.
                launch.environment().put("SWITCHBOARD_NO_BUILD", "1");
                Process process = launch.start();
                processes.add(process);
                partials.add(partial);
                errs.add(err);
                relays.add(relay(k, process, workDir.resolve("worker-" + k + ".log"), ready, out));
            }
            awaitReady(ready, processes, errs);
            server.scrapes().start(server.metrics());
            out.println("  all " + shares.size() + " workers ready: start");
            for (Process process : processes) {
                OutputStream stdin = process.getOutputStream();
                stdin.write((Worker.START + "\n").getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
            }
            awaitEnd(processes, errs);
            for (int i = 0; i < processes.size(); i++) {
                relays.get(i).join(TimeUnit.SECONDS.toMillis(10));
                if (!Files.exists(partials.get(i))) {
                    throw failed(i, processes.get(i), errs.get(i));
                }
            }
            ServerFigures figures = ProcessRun.scraped(server);
            return WorkerPartial.merge(partials, figures);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopWorkers);
            for (Process process : processes) {
                if (process.isAlive()) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Waits until every worker said it is ready; fails as soon as one has exited instead. */
    private static void awaitReady(CountDownLatch ready, List<Process> processes, List<Path> errs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(READY_TIMEOUT_MINUTES);
        while (!ready.await(200, TimeUnit.MILLISECONDS)) {
            for (int i = 0; i < processes.size(); i++) {
                if (!processes.get(i).isAlive()) {
                    throw failed(i, processes.get(i), errs.get(i));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new Failed("the workers were not all ready (registered and connected) after "
                        + READY_TIMEOUT_MINUTES + " minutes");
            }
        }
    }

    /** Waits until every worker has ended; fails as soon as one ends with a non-zero code, whatever the others do. */
    static void awaitEnd(List<Process> processes, List<Path> errs) throws Exception {
        while (true) {
            boolean running = false;
            for (int i = 0; i < processes.size(); i++) {
                Process process = processes.get(i);
                if (process.isAlive()) {
                    running = true;
                } else if (process.exitValue() != 0) {
                    throw failed(i, process, errs.get(i));
                }
            }
            if (!running) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private static Failed failed(int index, Process process, Path err) throws IOException, InterruptedException {
        process.waitFor(10, TimeUnit.SECONDS);
        String exit = process.isAlive() ? "still running" : "exit " + process.exitValue();
        List<String> lines = Files.exists(err) ? Files.readAllLines(err) : List.of();
        List<String> tail = lines.subList(Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size());
        return new Failed("worker " + (index + 1) + " failed (" + exit + "); the last lines of " + err + ":\n  "
                + String.join("\n  ", tail));
    }

    /**
     * A thread that copies the worker's output to its log and to {@code out}, prefixed with its number, and counts
     * down {@code ready} when the worker says it is.
     */
    private static Thread relay(int k, Process process, Path log, CountDownLatch ready, PrintStream out) {
        Thread thread = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                            PrintWriter file = new PrintWriter(Files.newBufferedWriter(log))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            file.println(line);
                            file.flush();
                            if (line.equals(Worker.READY)) {
                                ready.countDown();
                            } else {
                                out.println("  w" + k + " |" + line);
                            }
                        }
                    } catch (IOException e) {
                        out.println("  w" + k + " | (output lost: " + e.getMessage() + ")");
                    }
                },
                "switchboard-worker-" + k);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
