package io.switchboard.simulator.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import jdk.jfr.Recording;

/**
 * The fallback where async-profiler cannot load: the JDK's Flight Recorder, with only its execution samples (every
 * 10 ms per thread running Java code) and its throttled allocation samples. It sees Java frames only: no GC threads,
 * no native or JVM code, and stacks cut at JFR's depth (64 frames by default) lose their outermost frames.
 */
final class JfrEngine implements ProfilerEngine {
    static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";
    static final String ALLOCATION_SAMPLE = "jdk.ObjectAllocationSample";
    private static final Duration CPU_PERIOD = Duration.ofMillis(10);
    private static final String ALLOCATION_THROTTLE = "1000/s";

    private Recording recording;
    private Path file;

    /**
     * Starts and stops a first recording: the JDK's first start of a recording takes about half a second, and stalls
     * the application meanwhile, which must not happen in a measured window.
     */
    JfrEngine() {
        try (Recording first = configured()) {
            first.start();
            first.stop();
        }
    }

    private static Recording configured() {
        Recording recording = new Recording();
        recording.setName("switchboard --profile");
        recording.enable(EXECUTION_SAMPLE).withPeriod(CPU_PERIOD);
        recording.enable(ALLOCATION_SAMPLE).with("throttle", ALLOCATION_THROTTLE);
        return recording;
    }

    @Override
    public void start(Path file) {
        Recording recording = configured();
        recording.start();
        this.recording = recording;
        this.file = file;
    }

    @Override
    public void stop() throws IOException {
        Recording stopping = recording;
        recording = null;
        try (stopping) {
            stopping.stop();
            stopping.dump(file);
        }
    }

    @Override
    public boolean recording() {
        return recording != null;
    }

    @Override
    public String name() {
        return "JFR";
    }

    @Override
    public String cpuEvent() {
        return EXECUTION_SAMPLE;
    }

    @Override
    public String allocEvent() {
        return ALLOCATION_SAMPLE;
    }
}
