package io.switchboard.core.journal;

import java.io.File;
import java.io.IOException;
import net.openhft.posix.OpenFlag;
import net.openhft.posix.PosixAPI;
import net.openhft.posix.PosixRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allocates a file's disk blocks with {@code fallocate(2)}, through the POSIX binding Chronicle already brings
 * ({@code net.openhft:posix}): the filesystem takes the blocks (ext4 and XFS mark them unwritten, and read them as
 * zeros) without a byte written, so allocating megabytes costs a fraction of a millisecond and leaves no dirty pages
 * to write back, where writing the zeros held the caller's thread for milliseconds (17.9 MB: 4-31 ms). A full disk
 * is {@code ENOSPC} at the call, as for a write. The binding falls back to glibc's {@code posix_fallocate} where the
 * filesystem has no {@code fallocate}, which writes one byte per block (on a range past everything written, so never
 * on data).
 *
 * <p>Where the binding cannot be loaded (no native library for the platform), {@link #open} says so once and returns
 * -1: {@link BlockReservation} then writes zeros instead. Thread-safe: the descriptors belong to the caller.
 */
final class Fallocate {
    private static final Logger LOG = LoggerFactory.getLogger(Fallocate.class);
    private static volatile boolean unavailableLogged;

    /** Null for {@link #unavailable()}. */
    private final PosixAPI posix;

    /** The first one loads the native binding (milliseconds): made where a journal opens, not on its writer's thread. */
    Fallocate() {
        this(PosixAPI.posix());
    }

    private Fallocate(PosixAPI posix) {
        this.posix = posix;
    }

    /**
     * One whose {@link #open} returns -1, as where the binding cannot load: what {@link BlockReservation} does then
     * is tested on this machine, whose binding loads.
     */
    static Fallocate unavailable() {
        return new Fallocate(null);
    }

    /** A descriptor of {@code file} for {@link #allocate}, or -1 when the binding is unavailable. */
    int open(File file) throws IOException {
        if (posix == null) {
            return -1;
        }
        int fd;
        try {
            fd = posix.open(file.getPath(), OpenFlag.O_RDWR, 0);
        } catch (PosixRuntimeException | UnsatisfiedLinkError e) {
            if (!unavailableLogged) {
                unavailableLogged = true;
                LOG.warn("journal: no fallocate here ({}); disk blocks are allocated by writing zeros", e.toString());
            }
            return -1;
        }
        if (fd < 0) {
            throw new IOException("cannot open " + file + ": " + posix.lastErrorStr());
        }
        return fd;
    }

    /**
     * Allocates the blocks of {@code file} ({@code fd}) from {@code from} to {@code to}, extending the file past its
     * length if {@code to} is beyond it; blocks already allocated keep their bytes.
     *
     * @throws IOException when the filesystem has no room ("No space left on device") or refuses
     */
    void allocate(int fd, long from, long to, File file) throws IOException {
        int result = posix.fallocate(fd, 0, from, to - from);
        if (result != 0) {
            // fallocate answers -1 and errno; posix_fallocate, the binding's fallback, answers the error number.
            int error = result > 0 ? result : posix.lastError();
            throw new IOException(
                    posix.strerror(error) + ": allocating " + (to - from) + " bytes at " + from + " of " + file);
        }
    }

    void close(int fd) {
        posix.close(fd);
    }
}
