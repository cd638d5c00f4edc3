package io.switchboard.core.journal;

import static io.switchboard.core.journal.JournalRecords.ACCEPTED;
import static io.switchboard.core.journal.JournalRecords.ACKNOWLEDGED;
import static io.switchboard.core.journal.JournalRecords.GROUP_MESSAGE;
import static io.switchboard.core.journal.JournalRecords.GROUP_QUEUED;
import static io.switchboard.core.journal.JournalRecords.GROUP_RELEASED;
import static io.switchboard.core.journal.JournalRecords.GROUP_STATE;
import static io.switchboard.core.journal.JournalRecords.LAST_SEEN;
import static io.switchboard.core.journal.JournalRecords.NO_BODY;
import static io.switchboard.core.journal.JournalRecords.READ;
import static io.switchboard.core.journal.JournalRecords.RECEIPTS_DELIVERED;
import static io.switchboard.core.journal.JournalRecords.RECEIPT_PENDING;
import static io.switchboard.core.journal.JournalRecords.UNREAD;
import static io.switchboard.core.journal.JournalRecords.writeBytes;
import static io.switchboard.core.journal.JournalRecords.writeGroup;
import static io.switchboard.core.journal.JournalRecords.writeUsers;
import static net.openhft.chronicle.queue.impl.single.SingleChronicleQueue.SUFFIX;

import io.switchboard.core.config.JournalContext;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.protocol.ReceiptKind;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journal on Chronicle Queue: one queue directory per owner of user state, records appended as raw bytes in
 * memory-mapped files. A record is complete once {@link #accepted} returns, so a {@code kill -9} right after the
 * sender's ack loses nothing; a power cut may (nothing is forced to disk per message).
 *
 * <p>What it writes: {@link JournalRecords}; how it reads it back at start: {@link JournalReplayer}.
 *
 * <p>Not thread-safe: appenders belong to one thread; locked routing guards its shared journal with a lock. The one
 * exception is what the writer publishes for {@link JournalPretoucher}: the file it writes and its position in it, both
 * written by the writer after each record and read by the pretoucher's thread.
 */
public final class ChronicleJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final CycleHolds holds;
    private final JournalReplayer replayer;
    private byte[] scratch = new byte[4096];
    /** Reads bodies back for delivery ({@link #readBody}); made on first use. */
    private ExcerptTailer bodyReader;

    private boolean failing;

    /** The cycle file the writer last wrote to; null before its first record. */
    private volatile File writingFile;
    /**
     * The writer's position in {@link #writingFile} after its last record, in bytes from the file's start; -1 before
     * its first. Set lazily (a plain store on x86, so the ack path waits for nothing): a pretoucher that sees it late
     * reads from a few records back, which costs it a few pages already read.
     */
    private final AtomicLong writtenPosition = new AtomicLong(-1);

    private BooleanSupplier storageLow = () -> false;

    /** New messages are refused (as a failed write is) while {@code low} says so; see {@link DiskSpaceGuard}. */
    public void refuseWhen(BooleanSupplier low) {
        this.storageLow = low;
    }

    private ChronicleJournal(Path directory, SingleChronicleQueue queue, CycleHolds holds) {
        this.directory = directory;
        this.queue = queue;
        this.holds = holds;
        this.replayer = new JournalReplayer(directory, queue, holds);
        this.appender = queue.createAppender();
        // Locked routing appends from whichever I/O thread holds the journal's lock.
        this.appender.singleThreadedCheckDisabled(true);
    }

    public static ChronicleJournal open(Path directory, RollCycle rollCycle) {
        return open(directory, rollCycle, SystemTimeProvider.INSTANCE);
    }

    /** With a clock of one's own: roll cycles follow {@code time}, so tests can move days in a moment. */
    public static ChronicleJournal open(Path directory, RollCycle rollCycle, TimeProvider time) {
        return open(directory, rollCycle, time, JournalContext.BLOCK_BYTES_DEFAULT);
    }

    /**
     * With Chronicle's block size: how much of a file is mapped, and the file extended by, at a time. A record may be
     * at most a quarter of it.
     */
    public static ChronicleJournal open(Path directory, RollCycle rollCycle, TimeProvider time, long blockBytes) {
        return open(
                directory, rollCycle, time, blockBytes, TimeUnit.DAYS.toMillis(JournalContext.RETENTION_DAYS_DEFAULT));
    }

    /**
     * With the retention: a cycle whose records are all older than {@code retentionMs} is deleted even while held (see
     * {@link #deleteExpired()}).
     */
    public static ChronicleJournal open(
            Path directory, RollCycle rollCycle, TimeProvider time, long blockBytes, long retentionMs) {
        SingleChronicleQueue[] queue = new SingleChronicleQueue[1];
        DateTimeFormatter names =
                DateTimeFormatter.ofPattern(rollCycle.format()).withZone(ZoneOffset.UTC);
        CycleHolds holds = new CycleHolds(new CycleHolds.CycleFiles() {
            @Override
            public NavigableSet<Long> cyclesBefore(int cycle) {
                // Both bounds must be cycles with files: list them all, then keep those before the one asked.
                int first = queue[0].firstCycle();
                int last = queue[0].lastCycle();
                if (first < 0 || last < 0) {
                    return new TreeSet<>();
                }
                return new TreeSet<>(queue[0].listCyclesBetween(first, last)).headSet((long) cycle, false);
            }

            @Override
            public int writingCycle() {
                return queue[0].cycle();
            }

            @Override
            public void refresh() {
                queue[0].refreshDirectoryListing();
            }

            @Override
            public boolean expired(int cycle) {
                // A cycle ends where the next one starts.
                return startMs(cycle + 1) <= time.currentTimeMillis() - retentionMs;
            }

            @Override
            public File fileOf(int cycle) {
                return new File(directory.toFile(), names.format(Instant.ofEpochMilli(startMs(cycle))) + SUFFIX);
            }

            private long startMs(int cycle) {
                return queue[0].epoch() + (long) cycle * rollCycle.lengthInMillis();
            }
        });
        queue[0] = SingleChronicleQueueBuilder.single(directory.toFile())
                .rollCycle(rollCycle)
                .blockSize(blockBytes)
                .timeProvider(time)
                .build();
        return new ChronicleJournal(directory, queue[0], holds);
    }

    /** Journal files deleted since open because everything in them was acknowledged or expired. */
    public long deletedFiles() {
        return holds.deletedFiles();
    }

    private int lastCycle() {
        return queue.rollCycle().toCycle(appender.lastIndexAppended());
    }

    @Override
    public long acceptedAt(SendView send, long ts, long[] seqs) {
        if (storageLow.getAsBoolean()) {
            if (!failing) {
                failed(new IOException("free space below journal.reserveBytes"));
            }
            return FAILED;
        }
        try (DocumentContext document = appender.writingDocument()) {
            try {
                Bytes<?> bytes = document.wire().bytes();
                bytes.writeByte(ACCEPTED);
                bytes.writeLong(send.senderUser());
                bytes.writeInt(send.senderDevice());
                bytes.writeLong(send.id());
                bytes.writeLong(ts);
                bytes.writeLong(send.toUser());
                bytes.writeLong(send.mediaSize());
                int mediaIdLength = send.mediaIdLength();
                bytes.writeInt(mediaIdLength);
                if (mediaIdLength > 0) {
                    byte[] mediaId = new byte[mediaIdLength];
                    send.getMediaId(mediaId);
                    bytes.write(mediaId, 0, mediaIdLength);
                }
                int count = send.envelopeCount();
                bytes.writeInt(count);
                for (int i = 0; i < count; i++) {
                    int length = send.bodyLength(i);
                    bytes.writeInt(send.envelopeDevice(i));
                    bytes.writeInt(send.envelopeType(i).code());
                    bytes.writeLong(seqs[i]);
                    bytes.writeInt(length);
                    byte[] body = scratch(length);
                    send.bodyBuffer(i).getBytes(send.bodyOffset(i), body, 0, length);
                    bytes.write(body, 0, length);
                }
                published(bytes);
            } catch (RuntimeException | Error e) {
                document.rollbackOnClose();
                throw e;
            }
            recovered();
        } catch (RuntimeException | Error e) {
            failed(e);
            return FAILED;
        }
        long index = appender.lastIndexAppended();
        holds.hold(cycleOf(index), send.envelopeCount());
        return index;
    }

    @Override
    public int cycleOf(long index) {
        return queue.rollCycle().toCycle(index);
    }

    @Override
    public boolean keepsBodies() {
        return true;
    }

    @Override
    public int readBody(long index, int envelope, ExpandableArrayBuffer into) {
        if (bodyReader == null) {
            bodyReader = queue.createTailer();
            // Locked routing reads from whichever I/O thread holds the journal's lock.
            bodyReader.singleThreadedCheckDisabled(true);
        }
        try {
            if (bodyReader.moveToIndex(index)) {
                try (DocumentContext document = bodyReader.readingDocument()) {
                    if (document.isPresent()) {
                        return JournalRecords.acceptedBody(document.wire().bytes(), envelope, into);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.error("journal {}: cannot read back record {}", directory, Long.toHexString(index), e);
            return -1;
        }
        LOG.error("journal {}: record {} to read a body back from is gone", directory, Long.toHexString(index));
        return -1;
    }

    /**
     * Tells the pretoucher where the writer is: the file first, then the position, so that the file it reads after a
     * position is that position's file or a later one (it then reads a few pages of the later file for nothing).
     * Chronicle's bytes of a cycle file are positioned from the file's start.
     */
    private void published(Bytes<?> bytes) {
        File file = appender.currentFile();
        if (file != writingFile) {
            writingFile = file;
        }
        writtenPosition.lazySet(bytes.writePosition());
    }

    /** The cycle file the writer last wrote to, or null; read by the pretoucher before {@link #writtenPosition()}. */
    File writingFile() {
        return writingFile;
    }

    /** Where the writer's last record ended in {@link #writingFile()}, or -1; read by the pretoucher's thread. */
    long writtenPosition() {
        return writtenPosition.get();
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        return scratch;
    }

    private void failed(Throwable e) {
        if (!failing) {
            failing = true;
            LOG.error("journal {}: cannot write; sends are refused with 'unavailable' until it can", directory, e);
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            LOG.warn("journal {}: writing again", directory);
        }
    }

    @Override
    public void acknowledged(long user, int device, long seq, int cycle) {
        try (DocumentContext document = appender.writingDocument()) {
            Bytes<?> bytes = document.wire().bytes();
            bytes.writeByte(ACKNOWLEDGED);
            bytes.writeLong(user);
            bytes.writeInt(device);
            bytes.writeLong(seq);
            published(bytes);
        } catch (RuntimeException | Error e) {
            // The message stays queued on replay and is delivered again: at-least-once, never lost. Its cycle
            // stays held for the same reason.
            failed(e);
            return;
        }
        holds.release(cycle);
    }

    @Override
    public void released(int cycle) {
        holds.release(cycle);
    }

    @Override
    public void hold(int cycle) {
        holds.hold(cycle, 1);
    }

    @Override
    public int unread(long user, long senderUser, int senderDevice, long id, long ts, boolean group) {
        if (!write(bytes -> {
            bytes.writeByte(UNREAD);
            bytes.writeLong(user);
            bytes.writeLong(senderUser);
            bytes.writeInt(senderDevice);
            bytes.writeLong(id);
            bytes.writeLong(ts);
            bytes.writeByte((byte) (group ? 1 : 0));
        })) {
            return FAILED;
        }
        int cycle = lastCycle();
        holds.hold(cycle, 1);
        return cycle;
    }

    @Override
    public void read(long user, long senderUser, int senderDevice, long id, int cycle) {
        // Unwritten, a replay counts the message unread again: one more read of it could then make a second receipt,
        // which clients drop as a repeat. Holding its cycle for that would be worse.
        // Written here rather than through write(RecordWriter): a read is per message, and its lambda would capture.
        try (DocumentContext document = appender.writingDocument()) {
            try {
                Bytes<?> bytes = document.wire().bytes();
                bytes.writeByte(READ);
                bytes.writeLong(user);
                bytes.writeLong(senderUser);
                bytes.writeInt(senderDevice);
                bytes.writeLong(id);
                published(bytes);
            } catch (RuntimeException | Error e) {
                document.rollbackOnClose();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            failed(e);
            holds.release(cycle);
            return;
        }
        recovered();
        holds.release(cycle);
    }

    @Override
    public void deleteExpired() {
        holds.deleteUnheld();
    }

    @Override
    public int receiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts) {
        try (DocumentContext document = appender.writingDocument()) {
            Bytes<?> bytes = document.wire().bytes();
            bytes.writeByte(RECEIPT_PENDING);
            bytes.writeLong(senderUser);
            bytes.writeInt(senderDevice);
            bytes.writeLong(id);
            bytes.writeLong(recipientUser);
            bytes.writeInt(kind.code());
            bytes.writeLong(ts);
            published(bytes);
        } catch (RuntimeException | Error e) {
            failed(e);
            return FAILED;
        }
        int cycle = lastCycle();
        holds.hold(cycle, 1);
        return cycle;
    }

    @Override
    public void receiptsDelivered(long user, int device, int[] cycles, int count) {
        try (DocumentContext document = appender.writingDocument()) {
            Bytes<?> bytes = document.wire().bytes();
            bytes.writeByte(RECEIPTS_DELIVERED);
            bytes.writeLong(user);
            bytes.writeInt(device);
            published(bytes);
        } catch (RuntimeException | Error e) {
            failed(e);
            return;
        }
        for (int i = 0; i < count; i++) {
            if (cycles[i] != FAILED) {
                holds.release(cycles[i]);
            }
        }
    }

    @Override
    public int cycle() {
        return queue.cycle();
    }

    /** Writes one record; false (logged) when it could not be written. */
    private boolean write(RecordWriter writer) {
        try (DocumentContext document = appender.writingDocument()) {
            try {
                Bytes<?> bytes = document.wire().bytes();
                writer.write(bytes);
                published(bytes);
            } catch (RuntimeException | Error e) {
                document.rollbackOnClose();
                throw e;
            }
        } catch (RuntimeException | Error e) {
            failed(e);
            return false;
        }
        recovered();
        return true;
    }

    /** Writes a record that stores something new: refused while storage is low; held {@code holds} times. */
    private int store(RecordWriter writer, int holds) {
        if (storageLow.getAsBoolean()) {
            if (!failing) {
                failed(new IOException("free space below journal.reserveBytes"));
            }
            return FAILED;
        }
        if (!write(writer)) {
            return FAILED;
        }
        int cycle = lastCycle();
        if (holds > 0) {
            this.holds.hold(cycle, holds);
        }
        return cycle;
    }

    @FunctionalInterface
    private interface RecordWriter {
        void write(Bytes<?> bytes);
    }

    @Override
    public int groupState(String group, long[] members, long[] admins) {
        return store(
                bytes -> {
                    bytes.writeByte(GROUP_STATE);
                    writeGroup(bytes, group);
                    writeUsers(bytes, members);
                    writeUsers(bytes, admins);
                },
                members.length == 0 ? 0 : 1);
    }

    @Override
    public int groupMessage(GroupMessage message, int holds) {
        return store(
                bytes -> {
                    bytes.writeByte(GROUP_MESSAGE);
                    writeGroup(bytes, message.group());
                    bytes.writeInt(message.owner());
                    bytes.writeLong(message.senderUser());
                    bytes.writeInt(message.senderDevice());
                    bytes.writeLong(message.id());
                    bytes.writeLong(message.ts());
                    bytes.writeInt(message.type().code());
                    bytes.writeLong(message.mediaSize());
                    writeBytes(bytes, message.mediaId() == null ? new byte[0] : message.mediaId());
                    writeBytes(bytes, message.body());
                    writeUsers(bytes, message.members());
                    bytes.writeInt(holds);
                },
                holds);
    }

    @Override
    public void groupReleased(GroupMessage message, int by) {
        if (write(bytes -> {
            bytes.writeByte(GROUP_RELEASED);
            bytes.writeInt(message.owner());
            bytes.writeLong(message.senderUser());
            bytes.writeInt(message.senderDevice());
            bytes.writeLong(message.id());
            bytes.writeInt(by);
            bytes.writeInt(message.cycle());
        })) {
            // Unwritten, the copy stays held: the next start finds the owner's entries gone and releases it then.
            holds.release(message.cycle());
        }
    }

    @Override
    public int groupQueued(
            GroupMessage message, int count, long[] users, int[] devices, long[] seqs, boolean withBodies) {
        return store(
                bytes -> {
                    bytes.writeByte(GROUP_QUEUED);
                    bytes.writeInt(message.owner());
                    bytes.writeLong(message.senderUser());
                    bytes.writeInt(message.senderDevice());
                    bytes.writeLong(message.id());
                    bytes.writeInt(count);
                    for (int i = 0; i < count; i++) {
                        bytes.writeLong(users[i]);
                        bytes.writeInt(devices[i]);
                        bytes.writeLong(seqs[i]);
                        if (withBodies) {
                            writeBytes(bytes, message.body());
                        } else {
                            bytes.writeInt(NO_BODY);
                        }
                    }
                },
                count);
    }

    @Override
    public void lastSeen(long user, long ts) {
        write(bytes -> {
            bytes.writeByte(LAST_SEEN);
            bytes.writeLong(user);
            bytes.writeLong(ts);
        });
    }

    @Override
    public void replay(JournalReplay into, ReplayPass pass) {
        replayer.replay(into, pass);
    }

    @Override
    public void close() {
        if (bodyReader != null) {
            bodyReader.close();
        }
        appender.close();
        queue.close();
    }
}
