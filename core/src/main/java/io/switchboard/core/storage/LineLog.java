package io.switchboard.core.storage;

import io.switchboard.core.config.DataDirectories;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A log file in the data directory of changes, one entry a line, appended and forced to disk before a change is
 * answered, so that a client never holds what a restart would undo: {@code accounts.log} (a token, a device removed)
 * and {@code keys.log} (a key uploaded, a one-time key handed out). Thread-safe: writes serialise on the log; forces
 * are shared (group commit).
 *
 * @param <E> an entry, which {@code encode} makes a line of (newline included, US-ASCII) and {@code parse} reads back
 *     from one (throwing {@link IllegalArgumentException} for a line that is not an entry)
 */
public final class LineLog<E> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LineLog.class);
    private static final int BATCH_BYTES = 1 << 20;

    private final Path file;
    private final Function<E, byte[]> encode;
    private final Function<String, E> parse;
    private FileChannel channel;
    /** Held by the one thread forcing the log; the others wait on it and usually find their entries forced. */
    private final Object forcing = new Object();
    /** Where the log ends: every byte before it written (guarded by this log). */
    private long written;
    /** Where the log is known to be on disk up to: every write before a force that returned. */
    private volatile long forced;
    /** A force failed: see {@link #sync()}. */
    private volatile boolean failed;

    private LineLog(Path file, FileChannel channel, Function<E, byte[]> encode, Function<String, E> parse)
            throws IOException {
        this.file = file;
        this.channel = channel;
        this.encode = encode;
        this.parse = parse;
        this.written = channel.position();
        this.forced = written;
    }

    /** Opens (creating if needed) the log {@code fileName} in {@code dataDir}, cutting a line a crash left unfinished. */
    public static <E> LineLog<E> open(
            Path dataDir, String fileName, Function<E, byte[]> encode, Function<String, E> parse) {
        try {
            DataDirectories.ownerOnly(dataDir);
            Path file = dataDir.resolve(fileName);
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            cutTornTail(file, channel);
            return new LineLog<>(file, channel, encode, parse);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + fileName + " in " + dataDir, e);
        }
    }

    /**
     * Cuts a last line that a crash left without its newline: that change was never answered, and appending after it
     * would glue the next line onto it.
     */
    private static void cutTornTail(Path file, FileChannel log) throws IOException {
        long size = log.size();
        long end = size;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (end > 0) {
            one.clear();
            log.read(one, end - 1);
            if (one.get(0) == '\n') {
                break;
            }
            end--;
        }
        if (end < size) {
            LOG.warn("{}: cut {} byte(s) of a change torn by a crash", file, size - end);
            log.truncate(end);
            log.force(true);
        }
        log.position(end);
    }

    /**
     * Gives every entry, oldest first, to {@code apply}; a line that does not parse, or that {@code apply} refuses (it
     * names a device its account does not have, say), is skipped, and the skipped lines are counted in one warning.
     */
    public int replay(Predicate<E> apply) {
        int lines = 0;
        int skipped = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines++;
                boolean applied;
                try {
                    applied = apply.test(parse.apply(line));
                } catch (IllegalArgumentException e) {
                    applied = false;
                }
                skipped += applied ? 0 : 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (skipped > 0) {
            LOG.warn("{}: skipped {} unreadable or inconsistent line(s) of {}", file, skipped, lines);
        }
        return lines;
    }

    /**
     * Replaces the log with {@code entries}, which say the same in fewer lines: written whole to a file beside it,
     * forced, then renamed over it, so that a crash at any point leaves either the old log or the new one. For the
     * start only, before anything else uses the log.
     */
    public synchronized void rewrite(Consumer<Consumer<E>> entries) {
        Path next = file.resolveSibling(file.getFileName() + ".compacting");
        try {
            try (FileChannel out = FileChannel.open(
                    next, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                Lines lines = new Lines(buffer -> writeFully(out, buffer));
                entries.accept(entry -> lines.add(encode.apply(entry)));
                lines.flush();
                out.force(true);
            }
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
            channel.close();
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            written = channel.size();
            channel.position(written);
            forced = written;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact " + file, e);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) {
        try {
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes one entry without forcing it: the caller makes the change under its lock (an account's stripe, a user's
     * keys), releases the lock, and calls {@link #sync()} before answering, so that no lock is held through a force.
     *
     * @throws UncheckedIOException when the entry cannot be written, or a force failed before (see {@link #sync()})
     */
    public synchronized void write(E entry) {
        write(ByteBuffer.wrap(encode.apply(entry)));
    }

    /**
     * Forces every entry written so far to disk, one force for all the threads that call this together (group commit):
     * an entry written before this call is on disk when it returns. A failed force leaves the log refusing every
     * further write: which of the entries it covered reached the disk is unknown, and the changes they made are
     * already visible, so only a restart (which reads back what is on disk) makes what it holds trustworthy again.
     *
     * @throws UncheckedIOException when the force fails
     */
    public void sync() {
        long target = written();
        if (forced >= target) {
            return;
        }
        synchronized (forcing) {
            if (forced >= target) {
                return;
            }
            long upTo = written();
            try {
                channel.force(false);
            } catch (IOException e) {
                failed = true;
                throw new UncheckedIOException("cannot force " + file + "; restart the server", e);
            }
            forced = upTo;
        }
    }

    private synchronized long written() {
        return written;
    }

    /**
     * A batch of entries written in large writes and forced once, at {@link Batch#close()}: for bulk registrations
     * whose tokens nobody holds until the batch is closed.
     */
    public Batch batch() {
        return new Batch();
    }

    public final class Batch implements AutoCloseable {
        private final Lines lines = new Lines(buffer -> {
            synchronized (LineLog.this) {
                write(buffer);
            }
        });

        public void add(E entry) {
            lines.add(encode.apply(entry));
        }

        @Override
        public void close() {
            lines.flush();
            sync();
        }
    }

    /** Lines gathered into large writes, each handed to a sink when the next line would not fit, and at the end. */
    private static final class Lines {
        private final ByteBuffer buffer = ByteBuffer.allocate(BATCH_BYTES);
        private final Consumer<ByteBuffer> sink;

        Lines(Consumer<ByteBuffer> sink) {
            this.sink = sink;
        }

        void add(byte[] line) {
            if (buffer.remaining() < line.length) {
                flush();
            }
            buffer.put(line);
        }

        void flush() {
            sink.accept(buffer.flip());
            buffer.clear();
        }
    }

    /**
     * Writes whole lines or nothing: a write the disk refuses halfway (full, or over a size limit) is cut back to where
     * it began, since the next line appended after a torn one would join it, and a restart would then skip both.
     */
    private void write(ByteBuffer buffer) {
        if (failed) {
            throw new UncheckedIOException(new IOException("a force of " + file + " failed; restart"));
        }
        long start = written;
        try {
            while (buffer.hasRemaining()) {
                written += channel.write(buffer);
            }
        } catch (IOException e) {
            cutBackTo(start);
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private void cutBackTo(long start) {
        try {
            channel.truncate(start);
            channel.position(start);
            written = start;
        } catch (IOException e) {
            failed = true;
            LOG.error(
                    "{}: cannot cut a torn write back to {} bytes; its changes are refused until a restart",
                    file,
                    start,
                    e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing {}", file, e);
        }
    }
}
