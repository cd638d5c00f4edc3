package io.switchboard.simulator.fault;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A filesystem of its own under a server's data directory, which a fault can fill to its last byte and give back: a
 * tmpfs of a set size mounted over the directory. Filling it is what another process filling the disk is to the
 * server (its journal meets {@code ENOSPC} and free space below {@code journal.reserveBytes}), without touching the
 * machine's real disk; deleting the filler gives the space back. Mounting needs root with {@code CAP_SYS_ADMIN}; where
 * that is missing, {@link #mount} says so.
 */
public final class DataDisk implements AutoCloseable {
    /** The filler's name, in the data directory beside the server's own files, which never use it. */
    static final String FILLER = "disk-full.filler";

    private static final int BLOCK = 1 << 20;

    private final Path directory;
    private final long bytes;
    private boolean mounted;

    private DataDisk(Path directory, long bytes) {
        this.directory = directory;
        this.bytes = bytes;
    }

    /** Mounts a tmpfs of {@code bytes} over {@code directory} (made if missing). */
    public static DataDisk mount(Path directory, long bytes) throws Exception {
        Files.createDirectories(directory);
        Process mount = new ProcessBuilder(
                        "mount", "-t", "tmpfs", "-o", "size=" + bytes + ",mode=700", "tmpfs", directory.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!mount.waitFor(10, TimeUnit.SECONDS) || mount.exitValue() != 0) {
            throw new IllegalStateException("a diskFull fault mounts a tmpfs over the server's data directory, which"
                    + " needs root with CAP_SYS_ADMIN; mount said: " + output);
        }
        DataDisk disk = new DataDisk(directory, bytes);
        disk.mounted = true;
        return disk;
    }

    public Path directory() {
        return directory;
    }

    /** The tmpfs's size. */
    public long bytes() {
        return bytes;
    }

    /** Writes the filler until the filesystem has no room left; returns the bytes it took. */
    public long fill() throws IOException {
        byte[] block = new byte[BLOCK];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(directory.resolve(FILLER))) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
                throw full;
            }
        }
        return Files.size(directory.resolve(FILLER));
    }

    /** Deletes the filler: the space comes back at once. */
    public void empty() throws IOException {
        Files.deleteIfExists(directory.resolve(FILLER));
    }

    /** Unmounts the tmpfs, and what the server left on it goes with it: call after the server has stopped. */
    @Override
    public void close() throws Exception {
        if (mounted) {
            mounted = false;
            ServerProcess.run("umount", directory.toString());
        }
    }
}
