package io.switchboard.core.journal;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Allocates the disk blocks ahead of a Chronicle journal's writer before the writer's memory-mapped writes reach them,
 * as Aeron pre-allocates its log buffers. Chronicle extends its files sparse ({@code setLength}) and writes through
 * memory maps, so on a full disk the first write into a page no block backs faults (SIGBUS), which HotSpot turns into
 * an {@link InternalError} that, on JDK 17, can surface at a safepoint outside every handler. Here the blocks are
 * taken by {@code fallocate} ({@link Fallocate}), where a full disk is an {@link IOException} ("No space left on
 * device") at the call: the writer refuses its record then, and its mapped writes only ever land on allocated blocks.
 * {@code fallocate} writes nothing, so reserving even the 16 MiB past a file's first record takes the writer
 * microseconds; where it is unavailable, positional writes of zeros take the blocks instead, at the cost of the
 * writer's time and as many dirty pages for the disk to write back.
 *
 * <p>Blocks are taken only past everything Chronicle has written, so never on data (and {@code fallocate} leaves the
 * bytes of blocks already allocated as they are). Chronicle appends everything at its write position (records, and
 * the index arrays it adds after a record). The writer, before each record, makes sure that {@link #aheadBytes} past
 * the record's start are reserved: the largest record (Chronicle's overlap, a quarter of a block), an index array and
 * two headers, so that the record, the index array its close may add and the next record's header all land below
 * {@link #reservedTo}. Blocks are taken only at or past {@link #reservedTo} (or, in a file not reserved yet, past the
 * record's start, which the writer gives), and {@link #reservedTo} only grows: so the writer's records, always below
 * it, and the reservation never meet, even when the pretoucher's thread reserves ({@link #reserveAhead}, {@link
 * #STEP_BYTES} at a time, a few ahead of the writer, never past the file's length) while the writer writes its
 * records. The writer tops up itself, under the same lock, only when it finds too little reserved (no pretoucher, one
 * behind, or the file's length reached: only the writer's thread makes a file longer, as Chronicle does).
 *
 * <p>Before a file's first record, Chronicle has written its header and its first two index arrays (the index of
 * index arrays and the first index array, each {@code indexCount} longs) at its start, through the map, leaving their
 * pages sparse but for the ones it wrote into; it writes an entry into a new page of them only every few thousand
 * records. So the writer's first reservation in a file also allocates the blocks of every page below the record's
 * start (at most {@link #earlyBytes}) without changing them: {@code fallocate} keeps what is written; without it, the
 * pages are read and the same bytes written back (the writer owns the appender, the only thing that writes there, and
 * holds the lock, so nothing changes the bytes between the read and the write).
 *
 * <p>What it does not cover: the instant a new cycle file is created (Chronicle writes its header and the first
 * pages of its index arrays as it opens the file, before the first record's start is known), only checked for room
 * just before ({@link #roomForNewFile}); and filesystems that write a page anywhere but in place (copy-on-write ones
 * such as btrfs or ZFS allocate at every write-back).
 *
 * <p>The file, the channel, its descriptor and the buffers belong to whichever thread holds {@link #lock}; {@link
 * #file} and {@link #reservedTo} are also read without it, by the writer.
 */
final class BlockReservation implements AutoCloseable {
    /** How much the pretoucher's thread reserves at a time, and the writer past what it needs. */
    static final int STEP_BYTES = 1024 * 1024;
    /** How far past the writer's needs the pretoucher's thread reserves. */
    static final long PRETOUCH_AHEAD_BYTES = 4L * STEP_BYTES;

    private static final long HEADER_BYTES = 4096;
    private static final int COPY_BYTES = 64 * 1024;

    private final Path directory;
    private final long aheadBytes;
    /**
     * Past the end of a file's header and first two index arrays: three headers' worth of room for the wire's own
     * headers around them. Bounds what the first reservation in a file written before (at a restart) reads back.
     */
    private final long earlyBytes;

    private final Fallocate fallocate;
    private final ReentrantLock lock = new ReentrantLock();
    /** Only without {@code fallocate}: the zeros written, and the copy of the pages written back. */
    private ByteBuffer zeros;

    private ByteBuffer copy;
    private FileChannel channel;
    /** {@link #channel}'s file for {@link Fallocate}, or -1 where it is unavailable (zeros are written then). */
    private int fd = -1;

    private volatile File file;
    /** The end of the blocks reserved in {@link #file}, in bytes from its start; only grows for a file. */
    private volatile long reservedTo;

    BlockReservation(SingleChronicleQueue queue) {
        this(queue, new Fallocate());
    }

    /** Through {@code fallocate}; with {@link Fallocate#unavailable()} it takes the blocks by writing. */
    BlockReservation(SingleChronicleQueue queue, Fallocate fallocate) {
        this.fallocate = fallocate;
        this.directory = queue.file().toPath();
        this.aheadBytes = queue.overlapSize() + queue.indexCount() * 8L + 2 * HEADER_BYTES;
        this.earlyBytes = 2 * queue.indexCount() * 8L + 3 * HEADER_BYTES;
    }

    /**
     * On the writer's thread: makes sure the blocks of {@code file} from {@code recordStart} to {@code aheadBytes} past
     * it are allocated, where {@code recordStart} is the start of the record being written, past everything written to
     * the file; and, at the first reservation in a file, the blocks of its pages below {@code recordStart}.
     *
     * @throws IOException when the filesystem has no room for them (or cannot be written): the record must not be
     *     written. Room for them but not for the step past them is no failure.
     */
    void reserve(File writing, long recordStart) throws IOException {
        long wanted = recordStart + aheadBytes;
        if (writing == file && reservedTo >= wanted) {
            return;
        }
        lock.lock();
        try {
            if (writing != file) {
                open(writing, recordStart);
            }
            try {
                reserveTo(recordStart, wanted + STEP_BYTES);
            } catch (IOException e) {
                // The step past what this record needs is only ahead of time: a disk that has room for the record
                // takes it, and the next record tries the step again.
                if (reservedTo < wanted) {
                    throw e;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * On the pretoucher's thread: reserves up to {@link #PRETOUCH_AHEAD_BYTES} past what the writer needs after
     * {@code writtenPosition}, in the file it reserved last and below the file's length (Chronicle keeps it at least
     * a quarter of a block past the writer), so that the writer seldom reserves itself: one step at a time, so
     * that the writer waits for at most one. Skipped while the writer holds the lock.
     *
     * @return true when it reserved a step (call again: there may be more to do)
     * @throws IOException when the filesystem has no room: the writer then meets the full disk itself
     */
    boolean reserveAhead(long writtenPosition) throws IOException {
        if (writtenPosition < 0 || !lock.tryLock()) {
            return false;
        }
        try {
            // Only where the writer reserved already: in a file it has not reserved, where its last record ended is
            // known only to it.
            if (channel == null || reservedTo == 0) {
                return false;
            }
            // Only within the file's length: Chronicle extends the file on the writer's thread by reading its length
            // and then setting it, which would cut off a longer file this thread made in between.
            long to = Math.min(writtenPosition + aheadBytes + PRETOUCH_AHEAD_BYTES, channel.size());
            if (reservedTo >= to) {
                return false;
            }
            reserveTo(reservedTo, Math.min(to, reservedTo + STEP_BYTES));
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: allocates the blocks from past {@code floor} and {@link #reservedTo} to {@code to}. */
    private void reserveTo(long floor, long to) throws IOException {
        long from = Math.max(reservedTo, floor);
        if (from >= to) {
            return;
        }
        if (fd >= 0) {
            fallocate.allocate(fd, from, to, file);
            reservedTo = to;
            return;
        }
        if (zeros == null) {
            zeros = ByteBuffer.allocateDirect(STEP_BYTES);
        }
        while (from < to) {
            zeros.clear().limit((int) Math.min(STEP_BYTES, to - from));
            from += channel.write(zeros, from);
            // What a write took is allocated, even if the next one fails.
            reservedTo = from;
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

    /**
     * Under the lock: opens {@code next} and allocates the blocks of its pages below {@code recordStart}. When that
     * fails the file stays unopened, so that the next record tries again.
     */
    private void open(File next, long recordStart) throws IOException {
        closeChannel();
        reservedTo = 0;
        channel = FileChannel.open(next.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            fd = fallocate.open(next);
            long early = Math.min(recordStart, earlyBytes);
            if (fd < 0) {
                writeBack(early);
            } else if (early > 0) {
                // Blocks already allocated keep their bytes: only the sparse pages among them get blocks.
                fallocate.allocate(fd, 0, early, next);
            }
        } catch (IOException e) {
            closeChannel();
            throw e;
        }
        file = next;
    }

    /** Reads the file's bytes below {@code to} and writes them back where they were, which allocates their blocks. */
    private void writeBack(long to) throws IOException {
        if (copy == null) {
            copy = ByteBuffer.allocateDirect(COPY_BYTES);
        }
        long position = 0;
        while (position < to) {
            copy.clear().limit((int) Math.min(COPY_BYTES, to - position));
            while (copy.hasRemaining()) {
                if (channel.read(copy, position + copy.position()) < 0) {
                    throw new IOException("journal file shorter than its first record's start: " + position);
                }
            }
            copy.flip();
            while (copy.hasRemaining()) {
                channel.write(copy, position + copy.position());
            }
            position += copy.limit();
        }
    }

    private void closeChannel() throws IOException {
        file = null;
        if (fd >= 0) {
            fallocate.close(fd);
            fd = -1;
        }
        if (channel != null) {
            FileChannel closing = channel;
            channel = null;
            closing.close();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closeChannel();
        } finally {
            lock.unlock();
        }
    }
}
