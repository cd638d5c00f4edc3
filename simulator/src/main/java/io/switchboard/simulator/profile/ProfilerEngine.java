package io.switchboard.simulator.profile;

import java.nio.file.Path;

/**
 * One way to record a run's CPU samples and allocations into a JFR file: async-profiler's native library, or the JDK's
 * own Flight Recorder where that cannot load. Not thread-safe: the profiler's thread calls it.
 */
interface ProfilerEngine {
    /** Starts recording into {@code recording}, a new {@code .jfr} file. */
    void start(Path recording) throws Exception;

    /** Stops recording; the file is complete after this. */
    void stop() throws Exception;

    /** Whether a recording is under way: {@link #start} returned and {@link #stop} has not been called. */
    boolean recording();

    /** What records, e.g. "async-profiler 4.2". */
    String name();

    /** The event CPU samples come from ("cpu", "itimer", "jdk.ExecutionSample"): what the last start settled on. */
    String cpuEvent();

    /** The event allocation samples come from ("alloc", "jdk.ObjectAllocationSample"). */
    String allocEvent();
}
