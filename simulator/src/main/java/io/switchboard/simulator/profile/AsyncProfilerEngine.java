package io.switchboard.simulator.profile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import one.profiler.AsyncProfiler;

/**
 * async-profiler, loaded from the native library its jar ships for this platform (extracted to a temporary file, which
 * the loaded library no longer needs). CPU samples come from the {@code cpu} event (perf_events, or a per-thread CPU
 * timer where perf events are not allowed) or, if that does not start, from {@code itimer}, every 10 ms of CPU time;
 * allocations from {@code alloc}, a sample every 512 KiB allocated. Both go to one JFR file: async-profiler profiles
 * several events at once only in JFR output.
 */
final class AsyncProfilerEngine implements ProfilerEngine {
    static final String CPU_INTERVAL = "10ms";
    static final String ALLOC_INTERVAL = "512k";

    private final AsyncProfiler profiler;
    private String cpuEvent = "cpu";
    private boolean recording;

    private AsyncProfilerEngine(AsyncProfiler profiler) {
        this.profiler = profiler;
    }

    /** Loads the library for this platform; throws when the jar has none for it or it does not load. */
    static AsyncProfilerEngine load() throws IOException {
        return load(libraryResource(System.getProperty("os.name"), System.getProperty("os.arch")));
    }

    /** Loads the library at {@code resource} in the async-profiler jar. */
    static AsyncProfilerEngine load(String resource) throws IOException {
        Path library = Files.createTempFile("libasyncProfiler-", ".so");
        try (InputStream in = AsyncProfiler.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the async-profiler jar has no " + resource);
            }
            Files.copy(in, library, StandardCopyOption.REPLACE_EXISTING);
            AsyncProfiler profiler = AsyncProfiler.getInstance(library.toString());
            profiler.getVersion(); // the first native call: an incompatible library fails here, not mid-run
            return new AsyncProfilerEngine(profiler);
        } finally {
            Files.deleteIfExists(library);
        }
    }

    /** Where the jar keeps the library for an OS and architecture (as Java names them). */
    static String libraryResource(String os, String arch) {
        String o = os.toLowerCase(Locale.ROOT);
        String a = arch.toLowerCase(Locale.ROOT);
        String platform;
        if (o.contains("linux") && (a.equals("amd64") || a.equals("x86_64"))) {
            platform = "linux-x64";
        } else if (o.contains("linux") && (a.equals("aarch64") || a.equals("arm64"))) {
            platform = "linux-arm64";
        } else if (o.contains("mac")) {
            platform = "macos";
        } else {
            throw new UnsupportedOperationException("async-profiler ships no library for " + os + " " + arch);
        }
        return "/" + platform + "/libasyncProfiler.so";
    }

    @Override
    public void start(Path recording) throws IOException {
        try {
            profiler.execute(command("cpu", recording));
            cpuEvent = "cpu";
        } catch (IllegalStateException | IOException cpuRefused) {
            profiler.execute(command("itimer", recording));
            cpuEvent = "itimer";
        }
        this.recording = true;
    }

    private static String command(String cpuEvent, Path recording) {
        return "start,event=" + cpuEvent + ",interval=" + CPU_INTERVAL + ",alloc=" + ALLOC_INTERVAL + ",jfr,file="
                + recording;
    }

    @Override
    public void stop() throws IOException {
        recording = false;
        profiler.execute("stop");
    }

    @Override
    public boolean recording() {
        return recording;
    }

    @Override
    public String name() {
        return "async-profiler " + profiler.getVersion();
    }

    @Override
    public String cpuEvent() {
        return cpuEvent;
    }

    @Override
    public String allocEvent() {
        return "alloc";
    }
}
