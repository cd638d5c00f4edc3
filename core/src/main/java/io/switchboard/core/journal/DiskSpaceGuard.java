package io.switchboard.core.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the free space of the journal's filesystem and says when it falls below the reserve, so that journals refuse
 * new messages (with {@code unavailable}) before the disk is full, with room left for what must still be written (the
 * acknowledgements waiting in memory) once space comes back. A write that meets a full disk all the same is refused
 * at the write ({@link BlockReservation}); the reserve must cover what the server writes between two polls plus a
 * journal block. Thread-safe: one polling thread, any number of readers.
 */
public final class DiskSpaceGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpaceGuard.class);
    static final long POLL_INTERVAL_MS = 100;

    private final String where;
    private final long reserveBytes;
    private final LongSupplier usableBytes;
    private final Thread poller;
    private volatile boolean low;
    private volatile boolean running = true;

    /** @param reserveBytes 0 turns the guard off */
    public static DiskSpaceGuard watching(Path directory, long reserveBytes) {
        return new DiskSpaceGuard(directory.toString(), reserveBytes, () -> usableSpace(directory), true);
    }

    DiskSpaceGuard(String where, long reserveBytes, LongSupplier usableBytes, boolean poll) {
        this.where = where;
        this.reserveBytes = reserveBytes;
        this.usableBytes = usableBytes;
        check();
        if (poll && reserveBytes > 0) {
            poller = new Thread(this::pollLoop, "switchboard-disk-guard");
            poller.setDaemon(true);
            poller.start();
        } else {
            poller = null;
        }
    }

    private static long usableSpace(Path directory) {
        try {
            return Files.getFileStore(directory).getUsableSpace();
        } catch (IOException e) {
            return 0;
        }
    }

    private void pollLoop() {
        while (running) {
            check();
            try {
                Thread.sleep(POLL_INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads the free space once and updates {@link #low()}. */
    void check() {
        boolean nowLow = reserveBytes > 0 && usableBytes.getAsLong() < reserveBytes;
        if (nowLow != low) {
            low = nowLow;
            if (nowLow) {
                LOG.warn(
                        "{}: free space below journal.reserveBytes ({}): new messages are refused",
                        where,
                        reserveBytes);
            } else {
                LOG.info("{}: free space back above journal.reserveBytes: accepting messages again", where);
            }
        }
    }

    /** True while free space is below the reserve. */
    public boolean low() {
        return low;
    }

    @Override
    public void close() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
    }
}
