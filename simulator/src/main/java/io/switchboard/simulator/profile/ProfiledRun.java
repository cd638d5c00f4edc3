package io.switchboard.simulator.profile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The profile of one run's measured window: the run's event loop says when the window {@link #opened} and {@link
 * #closed}, the profiler's thread starts and stops the recording then (into a temporary file: async-profiler takes
 * its file name in a comma-separated command), and {@link #finish}, once the run is over, writes the recording and
 * its flame graphs next to the run's {@code summary.json} and reads the CPU breakdown from it.
 */
public final class ProfiledRun implements MeasuredWindow.Listener {
    /** A run without {@code --profile}: nothing recorded, no profile. */
    static final ProfiledRun OFF = new ProfiledRun(null, null, null, null, "", "");

    private final ProfilerEngine engine;
    private final String fallback;
    private final ExecutorService thread;
    private final Path dir;
    private final String prefix;
    private final String title;
    private volatile Future<?> started;
    private volatile Future<?> stopped;
    private Path recording;
    private long startedNs;
    private long stoppedNs;

    ProfiledRun(ProfilerEngine engine, String fallback, ExecutorService thread, Path dir, String prefix, String title) {
        this.engine = engine;
        this.fallback = fallback;
        this.thread = thread;
        this.dir = dir;
        this.prefix = prefix;
        this.title = title;
    }

    @Override
    public void opened() {
        if (engine != null && started == null) {
            started = thread.submit(() -> {
                recording = Files.createTempFile("switchboard-profile-", ".jfr");
                engine.start(recording);
                startedNs = System.nanoTime();
                return null;
            });
        }
    }

    @Override
    public void closed() {
        if (started != null && stopped == null) {
            stopped = thread.submit(() -> {
                engine.stop();
                stoppedNs = System.nanoTime();
                return null;
            });
        }
    }

    /**
     * After the run: stops the recording if the window did not close (the run ended early), writes the files and
     * returns the profile; null without {@code --profile} or when the window never opened.
     */
    public Profile finish() throws Exception {
        if (started == null) {
            return null;
        }
        closed();
        // Both tasks ran on the profiler's thread: what they wrote is visible once get() returns.
        started.get(1, TimeUnit.MINUTES);
        stopped.get(1, TimeUnit.MINUTES);
        Files.createDirectories(dir);
        String jfr = prefix + "profile.jfr";
        String cpuHtml = prefix + "profile-cpu.html";
        String allocHtml = prefix + "profile-alloc.html";
        Path file = Files.move(recording, dir.resolve(jfr), StandardCopyOption.REPLACE_EXISTING);
        FlameGraphs.cpu(file, dir.resolve(cpuHtml), title + ": CPU (" + engine.cpuEvent() + ")");
        FlameGraphs.allocations(
                file, dir.resolve(allocHtml), title + ": allocated bytes (" + engine.allocEvent() + ")");
        CpuBreakdown cpu = CpuBreakdown.of(FlameGraphs.collapsedCpuByThread(file));
        return new Profile(
                engine.name(),
                fallback,
                engine.cpuEvent(),
                engine.allocEvent(),
                (stoppedNs - startedNs) / 1e9,
                jfr,
                cpuHtml,
                allocHtml,
                cpu);
    }
}
