package io.switchboard.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary directory in memory ({@code /dev/shm}) where the machine has one, else in the default temporary
 * directory: for fuzz tests, which write or force a file for each of a million inputs, and a disk's force costs
 * milliseconds. Deleted with everything in it on close.
 */
public final class MemoryDirectory implements AutoCloseable {
    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    private final Path path;

    public MemoryDirectory(String prefix) {
        try {
            path = Files.isDirectory(SHARED_MEMORY)
                    ? Files.createTempDirectory(SHARED_MEMORY, prefix)
                    : Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
