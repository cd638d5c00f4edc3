package io.switchboard.simulator.fault;

import io.switchboard.simulator.profile.LeakDetection;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario's server as a process of its own ({@code server.mode: process}): started through the launcher with the
 * scenario's settings as {@code -Dswitchboard.*} options and a data directory of the run, on a loopback port it keeps
 * across kills and restarts so that clients come back to the same address. Each start logs to a file of its own
 * ({@code server-N.log} beside the data). Its counters are scraped over HTTP ({@link ServerScrapes}).
 *
 * <p>Not thread-safe: one thread starts, kills and restarts it. Only {@link #close} may also come from a shutdown hook:
 * a run stopped with Ctrl-C or SIGTERM runs no finally block, and would otherwise leave the server running and its
 * disk mounted over its data directory.
 */
public final class ProcessServer implements ReachedServer, AutoCloseable {
    /**
     * Registrations a minute per address: the run registers every user over HTTP from one address, which the
     * default limit (60) would throttle; a scenario that sets it keeps its own.
     */
    private static final String REGISTRATIONS = "limits.registrations.perMinute";

    private final Path dir;
    private final Path data;
    private final int port;
    private final List<String> jvmOptions = new ArrayList<>();
    private final ServerScrapes scrapes = new ServerScrapes();
    /** The data directory's own filesystem, for a {@code diskFull} fault; else null. */
    private final DataDisk disk;

    private ServerProcess process;
    private int starts;
    private boolean closed;
    private final Thread closeAtExit = new Thread(this::closeAtExit, "switchboard-server-stop");

    private ProcessServer(Path dir, Map<String, String> settings, DataDisk disk) throws IOException {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.disk = disk;
        this.port = ServerProcess.freePort();
        Map<String, String> all = new LinkedHashMap<>();
        all.put(REGISTRATIONS, "0");
        all.putAll(settings);
        all.forEach((key, value) -> jvmOptions.add("-Dswitchboard." + key + "=" + value));
        jvmOptions.add(LeakDetection.jvmOption());
    }

    /**
     * Starts the server with {@code settings} (keys of docs/configuration.md), its data and logs under {@code dir}.
     *
     * @param diskBytes above 0: the data directory is a filesystem of its own of that size ({@link DataDisk}), which a
     *     {@code diskFull} fault fills
     */
    public static ProcessServer start(Path dir, Map<String, String> settings, long diskBytes) throws Exception {
        DataDisk disk = diskBytes > 0 ? DataDisk.mount(dir.resolve("data"), diskBytes) : null;
        ProcessServer server = new ProcessServer(dir, settings, disk);
        Runtime.getRuntime().addShutdownHook(server.closeAtExit);
        try {
            server.startProcess();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Milliseconds from the launch to the server's "serving" line. */
    private long startProcess() throws Exception {
        starts++;
        process = ServerProcess.start(
                List.of(), dir.resolve("server-" + starts + ".log"), port, data, jvmOptions, starts == 1);
        return process.startMillis();
    }

    @Override
    public URI webSocket() {
        return process.ws();
    }

    @Override
    public URI metrics() {
        return process.http().resolve("/metrics");
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public String describe() {
        return "process " + process.pid() + " " + process.ws() + " (log " + process.log() + ")";
    }

    @Override
    public String[] register(long userBase, int users) throws IOException, InterruptedException {
        String[] tokens = new String[users];
        for (int user = 0; user < users; user++) {
            tokens[user] = process.register(userBase + user + 1L);
        }
        return tokens;
    }

    /** Across every process started. */
    @Override
    public ServerScrapes scrapes() {
        return scrapes;
    }

    /** SIGKILL: nothing of the server's runs after it; what it counted since its last scrape is lost with it. */
    public void kill() throws Exception {
        scrapes.ending(metrics());
        process.kill9();
    }

    /** SIGTERM and a clean stop. */
    public void stop() throws Exception {
        scrapes.ending(metrics());
        process.stop();
    }

    /** Starts it again on the same port and data (after {@link #kill} or {@link #stop}); returns the start's ms. */
    public long startAgain() throws Exception {
        return startProcess();
    }

    /** The server's data directory (its journal under {@code journal/}). */
    public Path data() {
        return data;
    }

    /** The data directory's own filesystem; null unless the server was started with one. */
    public DataDisk disk() {
        return disk;
    }

    /** The last lines of the current process's log. */
    @Override
    public String whereToLook() throws IOException {
        List<String> lines = process.output().lines().toList();
        return "the server's last lines:\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** Stops the server, then unmounts its disk (if it has one of its own) and the data on it with it. */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != closeAtExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(closeAtExit);
            } catch (IllegalStateException shuttingDown) {
                // The hook waits for this close, then finds the server closed.
            }
        }
        try (DataDisk unmounted = disk) {
            if (process != null && process.process().isAlive()) {
                process.process().destroy();
                if (!process.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroy();
                }
            }
        }
    }

    private void closeAtExit() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("switchboard: stopping the server at exit: " + e);
        }
    }
}
