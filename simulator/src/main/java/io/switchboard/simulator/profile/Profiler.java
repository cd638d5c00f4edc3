package io.switchboard.simulator.profile;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The profiler of one command ({@code run}, {@code loopback} or {@code fanout} with {@code --profile}): async-profiler
 * where its library loads, else JFR, and a thread of its own that starts and stops recordings, so that a run's event
 * loop, which sees its measured window open and close, never waits for either. {@link #OFF} without {@code --profile}
 * loads nothing. Each measured run gets a {@link ProfiledRun}; runs follow one another, never overlap.
 */
public final class Profiler implements AutoCloseable {
    /** No profiling: its runs record nothing, and nothing of a profiler is loaded. */
    public static final Profiler OFF = new Profiler(null, null, null);

    private final ProfilerEngine engine;
    private final String fallback;
    private final ExecutorService thread;

    private Profiler(ProfilerEngine engine, String fallback, ExecutorService thread) {
        this.engine = engine;
        this.fallback = fallback;
        this.thread = thread;
    }

    /** async-profiler if its library loads here, else JFR; says which on {@code out}. */
    public static Profiler open(PrintStream out) {
        return open(out, AsyncProfilerEngine::load);
    }

    /** The engine {@code asyncProfiler} loads, else JFR. */
    static Profiler open(PrintStream out, Callable<ProfilerEngine> asyncProfiler) {
        ProfilerEngine engine;
        try {
            engine = asyncProfiler.call();
        } catch (Exception | LinkageError e) {
            return jfr(out, "async-profiler cannot load here: " + e);
        }
        out.println("profile: " + engine.name() + ", a CPU sample every " + AsyncProfilerEngine.CPU_INTERVAL
                + " of CPU time and an allocation sample every " + AsyncProfilerEngine.ALLOC_INTERVAL
                + "B allocated, in each measured phase");
        return new Profiler(engine, null, profilerThread());
    }

    /** JFR, because of {@code why}: said on {@code out} and recorded with every profile. */
    public static Profiler jfr(PrintStream out, String why) {
        out.println("profile: " + why + "; profiling with JFR instead (Java frames only: no GC or native code)");
        return new Profiler(new JfrEngine(), why, profilerThread());
    }

    private static ExecutorService profilerThread() {
        return Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "switchboard-profiler");
            thread.setDaemon(true);
            return thread;
        });
    }

    public boolean enabled() {
        return engine != null;
    }

    /**
     * A recording of one run's measured window, written to {@code dir} as {@code <prefix>profile.jfr}, {@code
     * <prefix>profile-cpu.html} and {@code <prefix>profile-alloc.html}; the flame graphs' titles start with {@code
     * title}.
     */
    public ProfiledRun measure(Path dir, String prefix, String title) {
        return engine == null ? ProfiledRun.OFF : new ProfiledRun(engine, fallback, thread, dir, prefix, title);
    }

    /** Stops a recording a failed run left running, and the profiler's thread. */
    @Override
    public void close() throws Exception {
        if (thread == null) {
            return;
        }
        thread.submit(() -> {
                    if (engine.recording()) {
                        engine.stop();
                    }
                    return null;
                })
                .get(1, TimeUnit.MINUTES);
        thread.shutdown();
    }
}
