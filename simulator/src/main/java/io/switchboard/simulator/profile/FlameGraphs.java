package io.switchboard.simulator.profile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import one.convert.Arguments;
import one.convert.JfrToFlame;
import one.jfr.JfrReader;

/**
 * async-profiler's own converter (the release's {@code jfr-converter}) from a recording to flame graphs (its HTML
 * page) and collapsed stacks. It reads async-profiler's recordings and the JDK's alike: execution samples as CPU
 * samples, allocation samples weighted by the bytes they stand for.
 */
final class FlameGraphs {
    private FlameGraphs() {}

    /** The CPU flame graph: every execution sample, one per CPU interval. */
    static void cpu(Path recording, Path html, String title) throws IOException {
        try (OutputStream out = Files.newOutputStream(html)) {
            convert(recording, arguments(title), out);
        }
    }

    /** The allocation flame graph, in bytes allocated; each stack ends in the allocated class. */
    static void allocations(Path recording, Path html, String title) throws IOException {
        Arguments args = arguments(title);
        args.alloc = true;
        args.total = true;
        try (OutputStream out = Files.newOutputStream(html)) {
            convert(recording, args, out);
        }
    }

    /**
     * The CPU samples as collapsed stacks, one line per distinct stack: frames from the thread (its name as the first
     * frame, {@code [name tid=N]}) to the leaf, separated by {@code ;}, then a space and the number of samples.
     */
    static String collapsedCpuByThread(Path recording) throws IOException {
        Arguments args = new Arguments();
        args.output = "collapsed";
        args.threads = true;
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        convert(recording, args, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Arguments arguments(String title) {
        Arguments args = new Arguments();
        // The converter writes the title into the page's script and heading as it is.
        args.title = title.replaceAll("[^\\p{Alnum} ._,:/()+-]", "_");
        return args;
    }

    private static void convert(Path recording, Arguments args, OutputStream out) throws IOException {
        JfrToFlame converter;
        try (JfrReader reader = new JfrReader(recording.toString())) {
            converter = new JfrToFlame(reader, args);
            converter.convert();
        }
        converter.dump(out);
    }
}
