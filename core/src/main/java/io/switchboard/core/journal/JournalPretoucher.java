package io.switchboard.core.journal;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.IoUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the pages ahead of each Chronicle journal's writer, so that the writer, which appends on the ack path, does
 * not take the faults of fresh file pages. The first fault in a page of the file that is not in memory makes the
 * kernel read around it (8 MiB, the disk's read-ahead, on this machine class): measured at 20–26 ms once every 8 MiB
 * of appends, which set the send→ack p99. Once this thread has read a page, the page is in the page cache and the
 * writer's own fault on it is a minor one (microseconds).
 *
 * <p>Chronicle Queue's own pretoucher ({@code SingleChronicleQueue#createPretoucher}) is Enterprise-only: in the
 * open-source 2026.4 it recurses into itself and ends in a {@link StackOverflowError}.
 *
 * <p>Owned by its thread, {@code switchboard-journal-pretouch}: the channels and mappings it reads through and how far
 * it has read each journal. Journals are handed over through a queue ({@link #watch}); each journal's writer publishes
 * the file it writes and its position ({@link ChronicleJournal#writingFile()}, {@link
 * ChronicleJournal#writtenPosition()}), which this thread only reads. Its mappings only read; it reads only below the
 * file's length (Chronicle never shrinks a file), so it cannot fault past the end. Each pass reads at most {@code
 * aheadBytes} per journal, then sleeps {@link #PASS_NS}.
 *
 * <p>Each pass first allocates the disk blocks a few MiB ahead of each writer ({@link ChronicleJournal#reserveAhead()},
 * {@link BlockReservation}), so that the writer, which must not write into a page without blocks, seldom allocates
 * them on the ack path itself. They are allocated only past what the writer reserved, which is past everything it
 * wrote, and without changing a byte, so replay finds exactly what the writer wrote.
 */
public final class JournalPretoucher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalPretoucher.class);
    /**
     * Between passes. A writer appending 100 MB/s moves 1 MB in that time, far less than the default 32 MiB ahead; the
     * wake-ups cost nothing measurable on two cores.
     */
    static final long PASS_NS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final long PAGE_BYTES = 4096;
    /** How much of a file one mapping covers: as Chronicle maps its files, so this thread maps as rarely. */
    private static final long WINDOW_BYTES = 64L * 1024 * 1024;

    private final long aheadBytes;
    private final Queue<ChronicleJournal> handedOver = new ConcurrentLinkedQueue<>();
    private final List<Reader> readers = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean failureLogged;

    /** Starts the thread; journals join with {@link #watch}. */
    public static JournalPretoucher start(long aheadBytes) {
        return new JournalPretoucher(aheadBytes);
    }

    private JournalPretoucher(long aheadBytes) {
        this.aheadBytes = aheadBytes;
        thread = new Thread(this::run, "switchboard-journal-pretouch");
        thread.setDaemon(true);
        thread.start();
    }

    /** From now on, the pages ahead of this journal's writer are read; safe from any thread. */
    public void watch(ChronicleJournal journal) {
        handedOver.add(journal);
    }

    private void run() {
        try {
            while (running) {
                for (ChronicleJournal journal = handedOver.poll(); journal != null; journal = handedOver.poll()) {
                    readers.add(new Reader(journal));
                }
                for (Reader reader : readers) {
                    pass(reader);
                }
                LockSupport.parkNanos(PASS_NS);
            }
        } finally {
            for (Reader reader : readers) {
                reader.release();
            }
        }
    }

    private void pass(Reader reader) {
        try {
            while (reader.journal.reserveAhead()) {
                // One step at a time, so that the writer never waits for more than one.
            }
        } catch (IOException e) {
            // The disk is full: the writer meets it at its own reservation and refuses its records.
            LOG.debug("journal pretouch: cannot reserve ahead of the writer", e);
        }
        try {
            reader.readAhead();
            MappedFaults.surface();
        } catch (IOException | RuntimeException | InternalError e) {
            // InternalError is how HotSpot reports a fault in a mapped read: the file was cut short by someone other
            // than Chronicle, or (on tmpfs, where a read of a hole takes a page) the disk is full. Reading ahead only
            // saves the writer time, so a failure costs latency, never data: log once, drop the mapping, and try
            // again next pass.
            if (!failureLogged) {
                failureLogged = true;
                LOG.warn("journal pretouch: cannot read ahead of the writer; appends may stall on page faults", e);
            }
            reader.release();
        }
    }

    /** Stops the thread and waits for it to unmap what it mapped. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One journal as this thread reads it: the writer's current file, a mapping of part of it, how far it was read. */
    private final class Reader {
        private final ChronicleJournal journal;
        private File file;
        private FileChannel channel;
        private MappedByteBuffer window;
        private long windowStart;
        private long windowEnd;
        private long readTo;

        Reader(ChronicleJournal journal) {
            this.journal = journal;
        }

        void readAhead() throws IOException {
            // The position first: the file read after it is the position's file or a later one.
            long position = journal.writtenPosition();
            File writing = journal.writingFile();
            if (writing == null || position < 0) {
                return;
            }
            if (!writing.equals(file)) {
                release();
                channel = FileChannel.open(writing.toPath(), StandardOpenOption.READ);
                file = writing;
            }
            if (readTo > position + aheadBytes) {
                // A roll fell between reading the position and the file: the last pass applied the old file's
                // position to the new one. Start again from the writer, or the pages before that would go unread.
                readTo = 0;
            }
            long length = channel.size();
            long from = Math.max(readTo, position & ~(PAGE_BYTES - 1));
            long to = Math.min(position + aheadBytes, length);
            while (from < to) {
                if (window == null || from < windowStart || from >= windowEnd) {
                    map(from, length);
                }
                long end = Math.min(to, windowEnd);
                // load() reads one byte of every page in a way the JIT cannot drop, after madvise(WILLNEED).
                window.slice((int) (from - windowStart), (int) (end - from)).load();
                from = end;
                readTo = end;
            }
        }

        private void map(long from, long length) throws IOException {
            unmap();
            windowStart = from & ~(WINDOW_BYTES - 1);
            windowEnd = Math.min(windowStart + WINDOW_BYTES, length);
            window = channel.map(FileChannel.MapMode.READ_ONLY, windowStart, windowEnd - windowStart);
        }

        private void unmap() {
            if (window != null) {
                IoUtil.unmap(window);
                window = null;
            }
        }

        void release() {
            unmap();
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("journal pretouch: closing {}", file, e);
                }
                channel = null;
            }
            file = null;
            readTo = 0;
        }
    }
}
