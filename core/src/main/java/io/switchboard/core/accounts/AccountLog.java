package io.switchboard.core.accounts;

import io.switchboard.core.config.DataDirectories;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code accounts.log} in the data directory: every change to accounts and devices, one {@link LogEntry} a line,
 * appended and forced to disk before the change is answered, so a client never holds a token (or sees a device
 * removed) that a restart would undo. Thread-safe: appends serialise on the log.
 */
final class AccountLog implements AutoCloseable {
    static final String FILE_NAME = "accounts.log";
    private static final Logger LOG = LoggerFactory.getLogger(AccountLog.class);
    private static final int BATCH_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;

    private AccountLog(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** Opens (creating if needed) the log in {@code dataDir}, cutting a line a crash left unfinished. */
    static AccountLog open(Path dataDir) {
        try {
            DataDirectories.ownerOnly(dataDir);
            Path file = dataDir.resolve(FILE_NAME);
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            cutTornTail(file, channel);
            return new AccountLog(file, channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the account log in " + dataDir, e);
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
    void replay(Predicate<LogEntry> apply) {
        int lines = 0;
        int skipped = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines++;
                boolean applied;
                try {
                    applied = apply.test(LogEntry.parse(line));
                } catch (IllegalArgumentException e) {
                    applied = false;
                }
                skipped += applied ? 0 : 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the account log " + file, e);
        }
        if (skipped > 0) {
            LOG.warn("{}: skipped {} unreadable or inconsistent line(s) of {}", file, skipped, lines);
        }
    }

    /** Appends one entry and forces it to disk. */
    synchronized void append(LogEntry entry) {
        write(ByteBuffer.wrap(entry.line()));
        force();
    }

    /**
     * A batch of entries written in large writes and forced once, at {@link Batch#close()}: for bulk registrations
     * whose tokens nobody holds until the batch is closed.
     */
    Batch batch() {
        return new Batch();
    }

    final class Batch implements AutoCloseable {
        private final ByteBuffer buffer = ByteBuffer.allocate(BATCH_BYTES);

        void add(LogEntry entry) {
            byte[] line = entry.line();
            if (buffer.remaining() < line.length) {
                writeBuffered();
            }
            buffer.put(line);
        }

        private void writeBuffered() {
            synchronized (AccountLog.this) {
                write(buffer.flip());
            }
            buffer.clear();
        }

        @Override
        public void close() {
            writeBuffered();
            synchronized (AccountLog.this) {
                force();
            }
        }
    }

    private void write(ByteBuffer buffer) {
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the account log", e);
        }
    }

    private void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the account log", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing the account log", e);
        }
    }
}
