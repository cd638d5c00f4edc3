package io.switchboard.core.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Allocates the disk blocks ahead of a Chronicle journal's writer before the writer's memory-mapped writes reach them,
 * as Aeron pre-allocates its log buffers. Chronicle extends its files sparse ({@code setLength}) and writes through
 * memory maps, so on a full disk the first write into a page no block backs faults (SIGBUS), which HotSpot turns into
 * an {@link InternalError} that, on JDK 17, can surface at a safepoint outside every handler. Here the blocks are
 * taken by ordinary positional writes of zeros, where a full disk is an {@link IOException} ("No space left on
 * device") at the call: the writer refuses its record then, and its mapped writes only ever land on allocated blocks.
 *
 * <p>Zeros are written only past everything Chronicle has written: from the start of the record being written (its
 * header is just before it), or from where the last reservation ended, whichever is further. Chronicle appends
 * everything at its write position (records, and the index arrays it adds after a record), and this runs on the
 * writer's own thread, between records, so no zero lands on data. It keeps {@link #aheadBytes} reserved past the
 * record's start: the largest record (Chronicle's overlap, a quarter of a block), an index array and two headers, so
 * that the record, the index array its close may add and the next record's header all land on reserved blocks; it
 * tops up in steps of {@link #STEP_BYTES}, so that each top-up is short (a quarter of a millisecond here) and rare.
 *
 * <p>What it does not cover: the first pages of a new cycle file (its header and first index arrays, written by
 * Chronicle as it opens the file, before the first record's start is known), only checked for room just before
 * ({@link #roomForNewFile}); and filesystems that write a page anywhere but in place (copy-on-write ones such as btrfs
 * or ZFS allocate at every write-back).
 *
 * <p>Owned by the journal's writer thread (or the lock of locked routing's shared journal).
 */
final class BlockReservation implements AutoCloseable {
    /** How much is reserved past {@link #aheadBytes} at each top-up. */
    static final int STEP_BYTES = 1024 * 1024;

    private static final long HEADER_BYTES = 4096;

    private final Path directory;
    private final long aheadBytes;
    private final ByteBuffer zeros = ByteBuffer.allocateDirect(STEP_BYTES);
    private File file;
    private FileChannel channel;
    /** The end of the blocks reserved in {@link #file}, in bytes from its start. */
    private long reservedTo;

    BlockReservation(SingleChronicleQueue queue) {
        this.directory = queue.file().toPath();
        this.aheadBytes = queue.overlapSize() + queue.indexCount() * 8L + 2 * HEADER_BYTES;
    }

    /**
     * Makes sure the blocks of {@code file} from {@code recordStart} to {@code aheadBytes} past it are allocated, where
     * {@code recordStart} is the start of the record being written, past everything written to the file.
     *
     * @throws IOException when the filesystem has no room for them (or cannot be written): the record must not be
     *     written. Room for them but not for the step past them is no failure.
     */
    void reserve(File file, long recordStart) throws IOException {
        if (file != this.file) {
            open(file);
        }
        long wanted = recordStart + aheadBytes;
        if (reservedTo >= wanted) {
            return;
        }
        long from = Math.max(reservedTo, recordStart);
        long to = wanted + STEP_BYTES;
        try {
            while (from < to) {
                zeros.clear().limit((int) Math.min(STEP_BYTES, to - from));
                from += channel.write(zeros, from);
                // What a write took is allocated, even if the next one fails.
                reservedTo = from;
            }
        } catch (IOException e) {
            // The step past what this record needs is only ahead of time: a disk that has room for the record takes
            // it, and the next record tries the step again.
            if (reservedTo < wanted) {
                throw e;
            }
        }
    }

    /**
     * Before Chronicle opens a new cycle file, whose first pages (its header and first index arrays) it writes through
     * its map as it opens it, before a record's start is known and so before {@link #reserve} can run: unless the
     * filesystem has room for them and the first reservation, an {@link IOException} refuses the record instead. The
     * room could still be taken by another writer between this look and Chronicle's writes.
     */
    void roomForNewFile() throws IOException {
        long usable = Files.getFileStore(directory).getUsableSpace();
        if (usable < aheadBytes + STEP_BYTES) {
            throw new IOException("No space left on device for a new journal file: " + usable + " bytes free");
        }
    }

    private void open(File next) throws IOException {
        close();
        channel = FileChannel.open(next.toPath(), StandardOpenOption.WRITE);
        file = next;
        reservedTo = 0;
    }

    @Override
    public void close() throws IOException {
        file = null;
        if (channel != null) {
            FileChannel closing = channel;
            channel = null;
            closing.close();
        }
    }
}
