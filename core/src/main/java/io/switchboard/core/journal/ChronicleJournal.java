package io.switchboard.core.journal;

import static io.switchboard.core.journal.JournalRecords.ACCEPTED;
import static io.switchboard.core.journal.JournalRecords.ACCEPTED_ENVELOPE_BYTES;
import static io.switchboard.core.journal.JournalRecords.ACCEPTED_FIXED_BYTES;
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
import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.message.StoredBodies;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ReceiptKind;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A journal on Chronicle Queue: one queue directory per owner of user state, records appended as raw bytes in
 * memory-mapped files. A record is complete once {@link #accepted} returns, or for ACCEPTED records written in
 * batches ({@link #acceptInBatches()}) once its batch is completed, before the sender's ack leaves: so a {@code
 * kill -9} right after the ack loses nothing; a power cut may (nothing is forced to disk per message).
 *
 * <p>What it writes: {@link JournalRecords}; how it reads it back at start: {@link JournalReplayer}.
 *
 * <p>A disk that refuses a record (free space below the reserve, a failed or faulted write) leaves nothing of it in the
 * file ({@link RecordAppender}): a record that stores something new is refused ({@link #FAILED}, the caller refuses the
 * command); one that settles stored ones waits to be written later ({@link UnwrittenRecords}); a last-seen time is
 * dropped.
 *
 * <p>Not thread-safe: appenders belong to one thread; locked routing guards its shared journal with a lock. The one
 * exception is what the writer publishes for {@link JournalPretoucher}: the file it writes and its position in it, both
 * written by the writer after each record and read by the pretoucher's thread.
 */
public final class ChronicleJournal implements Journal {
    private final SingleChronicleQueue queue;
    private final RecordAppender records;
    /** Null until {@link #acknowledgeInBatches()}. */
    private AcknowledgedBatch acknowledgements;

    private final CycleHolds holds;
    private final JournalReplayer replayer;
    /** Reads bodies back for delivery ({@link #readBody}). */
    private final RecordReader bodyReader;
    /**
     * An ACCEPTED record's fixed fields, and an envelope's, put together here and written in one copy each: written one
     * by one, through a bounds check and a position update each, they took 9-13% of an owner's samples in {@code
     * OwnerMessageBenchmark}; put together, the whole record takes about 5% fewer.
     */
    private final UnsafeBuffer header = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
    /** The message whose body {@link #readBody} reads, for {@link #acceptedBody}. */
    private long readingUser;

    private int readingDevice;
    private long readingId;
    private final RecordReader.BodyParser acceptedBody = (record, envelope, into) ->
            JournalRecords.acceptedBody(record, readingUser, readingDevice, readingId, envelope, into);
    /** Whether ACCEPTED records go in batches: see {@link #acceptInBatches()}. */
    private boolean acceptInBatches;
    /** Reads stored group bodies back for the owners of members, on their threads. */
    private final GroupBodyReader storedBodies;

    /**
     * No record is written (as if the write failed) while {@code low} says so, so that the reserve stays free; see
     * {@link DiskSpaceGuard}.
     */
    public void refuseWhen(BooleanSupplier low) {
        records.refuseWhen(low);
    }

    /** Where records not written are counted by kind, and those waiting to be written: its owner's counters. */
    public void countIn(CounterSet<ShardCounter> counters) {
        records.countIn(counters);
    }

    private ChronicleJournal(Path directory, SingleChronicleQueue queue, CycleHolds holds) {
        this.queue = queue;
        this.holds = holds;
        this.records = new RecordAppender(directory, queue, holds);
        this.bodyReader = new RecordReader(queue);
        this.storedBodies = new GroupBodyReader(queue);
        this.replayer = new JournalReplayer(directory, queue, holds, storedBodies);
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
        return queue.rollCycle().toCycle(records.lastIndexAppended());
    }

    @Override
    public long acceptedAt(SendView send, long ts, long[] seqs) {
        Bytes<?> bytes = acceptInBatches ? records.beginBatched(acceptedLength(send)) : records.begin();
        if (bytes == null) {
            return records.refused(ShardCounter.JOURNAL_REFUSED_MESSAGE);
        }
        try {
            int mediaIdLength = send.mediaIdLength();
            int at = 0;
            header.putByte(at, ACCEPTED);
            at += Byte.BYTES;
            at = putLong(at, send.senderUser());
            at = putInt(at, send.senderDevice());
            at = putLong(at, send.id());
            at = putLong(at, ts);
            at = putLong(at, send.toUser());
            at = putLong(at, send.mediaSize());
            at = putInt(at, mediaIdLength);
            write(bytes, header, 0, at);
            if (mediaIdLength > 0) {
                byte[] mediaId = new byte[mediaIdLength];
                send.getMediaId(mediaId);
                bytes.write(mediaId, 0, mediaIdLength);
            }
            int count = send.envelopeCount();
            bytes.writeInt(count);
            for (int i = 0; i < count; i++) {
                int length = send.bodyLength(i);
                at = putInt(0, send.envelopeDevice(i));
                at = putInt(at, send.envelopeType(i).code());
                at = putLong(at, seqs[i]);
                at = putInt(at, length);
                write(bytes, header, 0, at);
                write(bytes, send.bodyBuffer(i), send.bodyOffset(i), length);
            }
        } catch (RuntimeException | Error e) {
            if (acceptInBatches) {
                records.abortBatched(e);
            } else {
                records.abort(e);
            }
            return records.refused(ShardCounter.JOURNAL_REFUSED_MESSAGE);
        }
        if (!(acceptInBatches ? records.commitBatched(bytes) : records.commit(bytes))) {
            return records.refused(ShardCounter.JOURNAL_REFUSED_MESSAGE);
        }
        long index = acceptInBatches ? records.batchIndex() : records.lastIndexAppended();
        holds.hold(cycleOf(index), send.envelopeCount());
        return index;
    }

    /** The bytes of {@code send}'s ACCEPTED record. */
    private static int acceptedLength(SendView send) {
        // The envelope count after the media id.
        int length = ACCEPTED_FIXED_BYTES + send.mediaIdLength() + Integer.BYTES;
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            length += ACCEPTED_ENVELOPE_BYTES + send.bodyLength(i);
        }
        return length;
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
    public int readBody(
            long index, long senderUser, int senderDevice, long id, int envelope, ExpandableArrayBuffer into) {
        // The reader sees no record of a batch still open.
        records.complete();
        readingUser = senderUser;
        readingDevice = senderDevice;
        readingId = id;
        return bodyReader.read(index, acceptedBody, envelope, into);
    }

    /** The cycle file the writer last wrote to, or null; read by the pretoucher before {@link #writtenPosition()}. */
    File writingFile() {
        return records.writingFile();
    }

    /**
     * On the pretoucher's thread: allocates one more step of disk blocks ahead of the writer, if it needs one (true
     * then); see {@link BlockReservation}.
     */
    boolean reserveAhead() throws IOException {
        return records.reserveAhead();
    }

    /** Where the writer's last record ended in {@link #writingFile()}, or -1; read by the pretoucher's thread. */
    long writtenPosition() {
        return records.writtenPosition();
    }

    /**
     * Copies bytes into the record from where they are held, once: a body from the send (the shard's inbox ring, or a
     * frame's array), fields from {@link #header}. A body's second copy, through an array of the journal's own on the
     * way, was 8% of the record's cost (55 of 215 samples copying, against 37 of 229 now, at 500,000 msgs/s on direct).
     */
    private static void write(Bytes<?> bytes, DirectBuffer body, int offset, int length) {
        byte[] array = body.byteArray();
        if (array != null) {
            bytes.write(array, body.wrapAdjustment() + offset, length);
        } else {
            bytes.unsafeWrite(body.addressOffset() + offset, length);
        }
    }

    private int putLong(int at, long value) {
        header.putLong(at, value, ByteOrder.LITTLE_ENDIAN);
        return at + Long.BYTES;
    }

    private int putInt(int at, int value) {
        header.putInt(at, value, ByteOrder.LITTLE_ENDIAN);
        return at + Integer.BYTES;
    }

    @Override
    public void acknowledgeInBatches() {
        acknowledgements = new AcknowledgedBatch(records);
        records.holdBack(acknowledgements);
    }

    @Override
    public void acceptInBatches() {
        acceptInBatches = true;
    }

    @Override
    public void completeAccepted() {
        records.complete();
    }

    @Override
    public void flush() {
        records.complete();
        if (acknowledgements != null && acknowledgements.held()) {
            acknowledgements.write();
        }
    }

    @Override
    public void acknowledged(long user, int device, long seq, int cycle) {
        if (acknowledgements != null) {
            acknowledgements.add(user, device, seq, cycle);
            return;
        }
        // Unwritten for good (past the bound, or a stop first), the message stays queued on replay and is delivered
        // again: at-least-once, never lost. Its cycle stays held for the same reason.
        Bytes<?> bytes = records.settling();
        bytes.writeByte(ACKNOWLEDGED);
        bytes.writeLong(user);
        bytes.writeInt(device);
        bytes.writeLong(seq);
        records.settle(ShardCounter.JOURNAL_REFUSED_ACK, cycle);
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
        return store(
                bytes -> {
                    bytes.writeByte(UNREAD);
                    bytes.writeLong(user);
                    bytes.writeLong(senderUser);
                    bytes.writeInt(senderDevice);
                    bytes.writeLong(id);
                    bytes.writeLong(ts);
                    bytes.writeByte((byte) (group ? 1 : 0));
                },
                1,
                ShardCounter.JOURNAL_REFUSED_UNREAD);
    }

    @Override
    public void read(long user, long senderUser, int senderDevice, long id, int cycle) {
        // Unwritten for good, a replay counts the message unread again: one more read of it could then make a second
        // receipt, which clients drop as a repeat.
        Bytes<?> bytes = records.settling();
        bytes.writeByte(READ);
        bytes.writeLong(user);
        bytes.writeLong(senderUser);
        bytes.writeInt(senderDevice);
        bytes.writeLong(id);
        records.settle(ShardCounter.JOURNAL_REFUSED_READ, cycle);
    }

    @Override
    public void deleteExpired() {
        records.writeWaiting();
        holds.deleteUnheld();
    }

    @Override
    public int receiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts) {
        // Not written, the receipt waits in memory only (see Receipts): a restart before its device returns loses it.
        return store(
                bytes -> {
                    bytes.writeByte(RECEIPT_PENDING);
                    bytes.writeLong(senderUser);
                    bytes.writeInt(senderDevice);
                    bytes.writeLong(id);
                    bytes.writeLong(recipientUser);
                    bytes.writeInt(kind.code());
                    bytes.writeLong(ts);
                },
                1,
                ShardCounter.JOURNAL_REFUSED_RECEIPT);
    }

    @Override
    public void receiptsDelivered(long user, int device, int[] cycles, int count) {
        Bytes<?> bytes = records.settling();
        bytes.writeByte(RECEIPTS_DELIVERED);
        bytes.writeLong(user);
        bytes.writeInt(device);
        records.settle(ShardCounter.JOURNAL_REFUSED_RECEIPT, cycles, count);
    }

    @Override
    public int cycle() {
        return queue.cycle();
    }

    /** Writes a record that stores something new, held {@code holds} times; or {@link #FAILED}, counted as {@code kind}. */
    private int store(RecordAppender.RecordWriter writer, int holds, ShardCounter kind) {
        if (!records.write(writer)) {
            return records.refused(kind);
        }
        int cycle = lastCycle();
        if (holds > 0) {
            this.holds.hold(cycle, holds);
        }
        return cycle;
    }

    @Override
    public int groupState(String group, long[] members, long[] admins, Collection<GroupInvite> invites) {
        return store(
                bytes -> {
                    bytes.writeByte(GROUP_STATE);
                    writeGroup(bytes, group);
                    writeUsers(bytes, members);
                    writeUsers(bytes, admins);
                    bytes.writeInt(invites.size());
                    for (GroupInvite invite : invites) {
                        bytes.writeLong(invite.user());
                        bytes.writeLong(invite.by());
                        bytes.writeLong(invite.expiresAtMs());
                        writeGroup(bytes, invite.code());
                    }
                },
                members.length == 0 ? 0 : 1,
                ShardCounter.JOURNAL_REFUSED_GROUP);
    }

    @Override
    public long groupMessageAt(GroupMessage message, int holds) {
        int cycle = store(
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
                holds,
                ShardCounter.JOURNAL_REFUSED_GROUP);
        return cycle == FAILED ? FAILED : records.lastIndexAppended();
    }

    @Override
    public StoredBodies storedBodies() {
        return storedBodies;
    }

    @Override
    public void groupReleased(GroupMessage message, int by) {
        // Unwritten for good, the copy stays held: the next start finds the owner's entries gone and releases it then.
        Bytes<?> bytes = records.settling();
        bytes.writeByte(GROUP_RELEASED);
        bytes.writeInt(message.owner());
        bytes.writeLong(message.senderUser());
        bytes.writeInt(message.senderDevice());
        bytes.writeLong(message.id());
        bytes.writeInt(by);
        bytes.writeInt(message.cycle());
        records.settle(ShardCounter.JOURNAL_REFUSED_GROUP_RELEASE, message.cycle());
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
                count,
                ShardCounter.JOURNAL_REFUSED_GROUP);
    }

    @Override
    public void lastSeen(long user, long ts) {
        // Best effort: unwritten, the user's last seen is the one before after a restart.
        if (!records.write(bytes -> {
            bytes.writeByte(LAST_SEEN);
            bytes.writeLong(user);
            bytes.writeLong(ts);
        })) {
            records.refused(ShardCounter.JOURNAL_REFUSED_LAST_SEEN);
        }
    }

    @Override
    public void replay(JournalReplay into, ReplayPass pass) {
        replayer.replay(into, pass);
    }

    @Override
    public void close() {
        flush();
        bodyReader.close();
        storedBodies.close();
        records.close();
        queue.close();
    }
}
