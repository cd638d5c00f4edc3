package io.switchboard.simulator.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.FlightRecorder;
import jdk.jfr.RecordingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Which profiler records, the fallback to JFR and what a recording of a measured window leaves behind. */
@Timeout(60)
class ProfilerTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);

    @Test
    void shouldFindTheLibraryOfThePlatformsAsyncProfilerShips() {
        assertThat(AsyncProfilerEngine.libraryResource("Linux", "amd64")).isEqualTo("/linux-x64/libasyncProfiler.so");
        assertThat(AsyncProfilerEngine.libraryResource("Linux", "aarch64"))
                .isEqualTo("/linux-arm64/libasyncProfiler.so");
        assertThat(AsyncProfilerEngine.libraryResource("Mac OS X", "aarch64")).isEqualTo("/macos/libasyncProfiler.so");
        assertThatThrownBy(() -> AsyncProfilerEngine.libraryResource("Windows 11", "amd64"))
                .hasMessageContaining("no library for Windows 11 amd64");
        assertThatThrownBy(() -> AsyncProfilerEngine.load("/nowhere/libasyncProfiler.so"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("/nowhere/libasyncProfiler.so");
    }

    @Test
    void shouldFallBackToJfrWhenTheLibraryDoesNotLoadAndSaySo() throws Exception {
        try (Profiler profiler = Profiler.open(out, () -> {
            throw new UnsatisfiedLinkError("wrong ELF class");
        })) {
            assertThat(profiler.enabled()).isTrue();
            assertThat(said.toString(StandardCharsets.UTF_8)).contains("wrong ELF class", "profiling with JFR instead");
            Profile profile = record(profiler);

            assertThat(profile.profiler()).isEqualTo("JFR");
            assertThat(profile.fallback()).contains("wrong ELF class");
            assertThat(profile.toJson()).containsEntry("fallback", profile.fallback());
            assertThat(dir.resolve("x-profile.jfr")).isNotEmptyFile();
            assertThat(dir.resolve("x-profile-cpu.html")).isNotEmptyFile();
            assertThat(dir.resolve("x-profile-alloc.html")).isNotEmptyFile();
        }
    }

    @Test
    void shouldRecordNothingWithoutProfile() throws Exception {
        ProfiledRun run = Profiler.OFF.measure(dir, "", "off");
        run.opened();
        run.closed();

        assertThat(Profiler.OFF.enabled()).isFalse();
        assertThat(run.finish()).isNull();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void shouldStopARecordingThatARunLeftRunningOnClose() throws Exception {
        Profiler profiler = Profiler.jfr(out, "test");
        profiler.measure(dir, "", "left running").opened();
        profiler.close();

        assertThat(FlightRecorder.getFlightRecorder().getRecordings())
                .noneMatch(recording -> recording.getState() == RecordingState.RUNNING);
    }

    /** A window of half a second of allocating work on this thread, recorded. */
    private Profile record(Profiler profiler) throws Exception {
        ProfiledRun run = profiler.measure(dir, "x-", "test");
        run.opened();
        long end = System.nanoTime() + 500_000_000L;
        long sink = 0;
        while (System.nanoTime() < end) {
            sink += String.valueOf(sink).hashCode();
        }
        run.closed();
        Profile profile = run.finish();
        assertThat(sink).isNotZero();
        return profile;
    }
}
