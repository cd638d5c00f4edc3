package io.switchboard.core.journal;

import io.switchboard.core.config.JournalContext;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ProtocolLimits;
import io.switchboard.core.protocol.ReceiptKind;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.StoreFileListener;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A journal on Chronicle Queue: one queue directory per owner of user state, records appended as raw bytes in
 * memory-mapped files. A record is complete once {@link #accepted} returns, so a {@code kill -9} right after the
 * sender's ack loses nothing; a power cut may (nothing is forced to disk per message).
 *
 * <p>Records (all little-endian): ACCEPTED {@code type:i8 senderUser:i64 senderDevice:i32 id:i64 ts:i64 toUser:i64
 * mediaSize:i64 mediaIdLength:i32 mediaId count:i32 (device:i32 envelopeType:i32 seq:i64 bodyLength:i32 body)*};
 * ACKNOWLEDGED {@code type user:i64 device:i32 seq:i64}; RECEIPT_PENDING {@code type senderUser:i64 senderDevice:i32
 * id:i64 recipient:i64 kind:i32 ts:i64}; RECEIPTS_DELIVERED {@code type user:i64 device:i32}. Groups: GROUP_STATE
 * {@code type group members admins}; GROUP_MESSAGE {@code type group owner:i32 senderUser:i64 senderDevice:i32 id:i64
 * ts:i64 envelopeType:i32 mediaSize:i64 mediaId body members owners:i32}, owners being how many owners of members
 * hold it; GROUP_RELEASED {@code type groupOwner:i32 senderUser:i64
 * senderDevice:i32 id:i64 by:i32 messageCycle:i32}; GROUP_QUEUED {@code type groupOwner:i32 senderUser:i64
 * senderDevice:i32 id:i64 count:i32 (user:i64 device:i32 seq:i64 bodyLength:i32 body)*}, bodyLength -1 when the entry
 * shares the stored copy; LAST_SEEN {@code type user:i64 ts:i64}. A group id is {@code length:i32} ASCII bytes, a
 * list of users {@code count:i32 user:i64*}, a byte string {@code length:i32 bytes}.
 *
 * <p>At replay every record is checked before it is handed on: each length against what is left of the record (so a
 * damaged one never makes us allocate), ids, devices, counts and codes against their ranges, and nothing may be left
 * over. A record that fails is logged and skipped alone, since Chronicle's framing says where the next one starts.
 *
 * <p>Not thread-safe: appenders belong to one thread; locked routing guards its shared journal with a lock.
 */
public final class ChronicleJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);
    private static final byte ACCEPTED = 1;
    private static final byte ACKNOWLEDGED = 2;
    private static final byte RECEIPT_PENDING = 3;
    private static final byte RECEIPTS_DELIVERED = 4;
    private static final byte GROUP_STATE = 5;
    private static final byte GROUP_MESSAGE = 6;
    private static final byte GROUP_RELEASED = 7;
    private static final byte GROUP_QUEUED = 8;
    private static final byte LAST_SEEN = 9;
    private static final int NO_BODY = -1;
    /** Unreadable records logged one by one at replay; a count of all follows. */
    private static final int LOGGED_CORRUPT_RECORDS = 10;

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final CycleHolds holds;
    private byte[] scratch = new byte[4096];
    private boolean failing;

    private BooleanSupplier storageLow = () -> false;

    /** New messages are refused (as a failed write is) while {@code low} says so; see {@link DiskSpaceGuard}. */
    public void refuseWhen(BooleanSupplier low) {
        this.storageLow = low;
    }

    private ChronicleJournal(Path directory, SingleChronicleQueue queue, CycleHolds holds) {
        this.directory = directory;
        this.queue = queue;
        this.holds = holds;
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
        SingleChronicleQueue[] queue = new SingleChronicleQueue[1];
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
        });
        queue[0] = SingleChronicleQueueBuilder.single(directory.toFile())
                .rollCycle(rollCycle)
                .blockSize(blockBytes)
                .timeProvider(time)
                .storeFileListener(new StoreFileListener() {
                    @Override
                    public void onAcquired(int cycle, File file) {
                        holds.fileOf(cycle, file);
                    }

                    @Override
                    public void onReleased(int cycle, File file) {}
                })
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
    public int accepted(SendView send, long ts, long[] seqs) {
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
            } catch (RuntimeException | Error e) {
                document.rollbackOnClose();
                throw e;
            }
            recovered();
        } catch (RuntimeException | Error e) {
            failed(e);
            return FAILED;
        }
        int cycle = lastCycle();
        holds.hold(cycle, send.envelopeCount());
        return cycle;
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
                writer.write(document.wire().bytes());
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

    private static void writeGroup(Bytes<?> bytes, String group) {
        bytes.writeInt(group.length());
        for (int i = 0; i < group.length(); i++) {
            bytes.writeByte((byte) group.charAt(i));
        }
    }

    private static void writeUsers(Bytes<?> bytes, long[] users) {
        bytes.writeInt(users.length);
        for (long user : users) {
            bytes.writeLong(user);
        }
    }

    private static void writeBytes(Bytes<?> bytes, byte[] value) {
        bytes.writeInt(value.length);
        bytes.write(value, 0, value.length);
    }

    @Override
    public void replay(JournalReplay into, ReplayPass pass) {
        ReplayedSend send = new ReplayedSend();
        long[] seqs = new long[send.devices.length];
        long records = 0;
        long skipped = 0;
        long lastRead = -1;
        // Nothing is deleted while the tailer reads (a release during replay may empty the cycle being read), nor
        // between the passes.
        holds.deferDeletes(true);
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.toStart();
            while (true) {
                try (DocumentContext document = tailer.readingDocument()) {
                    if (!document.isPresent()) {
                        break;
                    }
                    lastRead = document.index();
                    Bytes<?> bytes = document.wire().bytes();
                    long length = bytes.readRemaining();
                    try {
                        if (replay(bytes, queue.rollCycle().toCycle(lastRead), send, seqs, into, pass)) {
                            records++;
                        }
                    } catch (CorruptRecord e) {
                        // Chronicle's framing still says where the next record starts: only this one is lost.
                        skipped++;
                        if (skipped <= LOGGED_CORRUPT_RECORDS) {
                            LOG.error(
                                    "journal {}: record {} ({} bytes) is unreadable and skipped: {}",
                                    directory,
                                    Long.toHexString(lastRead),
                                    length,
                                    e.getMessage());
                        }
                    }
                }
            }
            if (skipped > 0) {
                LOG.error("journal {}: {} unreadable records skipped, {} replayed", directory, skipped, records);
            }
            long last = queue.lastIndex();
            if (last > lastRead && pass == ReplayPass.SESSIONS) {
                // Chronicle ends its reading silently at a header it takes for a write in progress (or at garbage).
                LOG.error(
                        "journal {}: reading stopped after record {} ({} replayed) but the last record written is {};"
                                + " the records between are skipped",
                        directory,
                        Long.toHexString(lastRead),
                        records,
                        Long.toHexString(last));
            }
        } catch (RuntimeException e) {
            // A damaged frame: what came before it is kept, the rest is reported and skipped.
            LOG.error("journal {}: unreadable after {} records; the rest is skipped", directory, records, e);
        }
        if (pass == ReplayPass.SESSIONS) {
            holds.deferDeletes(false);
            holds.deleteUnheld();
        }
    }

    /**
     * Decodes one record of this pass whole, checking every length and range, and only then hands it on; false for a
     * record of the other pass.
     */
    private boolean replay(
            Bytes<?> bytes, int cycle, ReplayedSend send, long[] seqs, JournalReplay into, ReplayPass pass) {
        need(bytes, 1, "type");
        byte type = bytes.readByte();
        boolean groupRecord = type == GROUP_STATE || type == GROUP_MESSAGE || type == GROUP_RELEASED;
        if (groupRecord != (pass == ReplayPass.GROUPS)) {
            return false;
        }
        switch (type) {
            case ACCEPTED -> {
                long ts = readAccepted(bytes, send, seqs);
                end(bytes);
                holds.hold(cycle, send.envelopeCount);
                into.onAccepted(send, ts, seqs, cycle);
            }
            case ACKNOWLEDGED -> {
                need(bytes, 8 + 4 + 8, "acknowledged");
                long user = id(bytes.readLong(), "user");
                int device = device(bytes.readInt());
                long seq = id(bytes.readLong(), "seq");
                end(bytes);
                into.onAcknowledged(user, device, seq);
            }
            case RECEIPT_PENDING -> {
                need(bytes, 8 + 4 + 8 + 8 + 4 + 8, "receipt pending");
                long senderUser = id(bytes.readLong(), "sender");
                int senderDevice = device(bytes.readInt());
                long id = id(bytes.readLong(), "id");
                long recipient = id(bytes.readLong(), "recipient");
                int code = bytes.readInt();
                ReceiptKind kind = ReceiptKind.fromCode(code);
                if (kind == null) {
                    throw new CorruptRecord("receipt kind " + code);
                }
                long ts = bytes.readLong();
                end(bytes);
                holds.hold(cycle, 1);
                into.onReceiptPending(senderUser, senderDevice, id, recipient, kind, ts, cycle);
            }
            case RECEIPTS_DELIVERED -> {
                need(bytes, 8 + 4, "receipts delivered");
                long user = id(bytes.readLong(), "user");
                int device = device(bytes.readInt());
                end(bytes);
                into.onReceiptsDelivered(user, device);
            }
            case GROUP_STATE -> {
                String group = readGroup(bytes);
                long[] members = readUsers(bytes);
                long[] admins = readUsers(bytes);
                end(bytes);
                if (members.length > 0) {
                    holds.hold(cycle, 1);
                }
                into.onGroupState(group, members, admins, cycle);
            }
            case GROUP_MESSAGE -> {
                GroupMessage message = readGroupMessage(bytes);
                message.cycle(cycle);
                int owners = bytes.readInt();
                end(bytes);
                holds.hold(cycle, owners);
                into.onGroupMessage(message);
            }
            case GROUP_RELEASED -> {
                need(bytes, 4 + 8 + 4 + 8 + 4 + 4, "group released");
                int groupOwner = bytes.readInt();
                long senderKey = senderKey(id(bytes.readLong(), "sender"), device(bytes.readInt()));
                long id = id(bytes.readLong(), "id");
                int by = bytes.readInt();
                int messageCycle = bytes.readInt();
                end(bytes);
                holds.release(messageCycle);
                into.onGroupReleased(groupOwner, senderKey, id, by);
            }
            case GROUP_QUEUED -> replayGroupQueued(bytes, cycle, into);
            case LAST_SEEN -> {
                need(bytes, 8 + 8, "last seen");
                long user = id(bytes.readLong(), "user");
                long ts = bytes.readLong();
                end(bytes);
                into.onLastSeen(user, ts);
            }
            default -> throw new CorruptRecord("unknown record type " + type);
        }
        return true;
    }

    private static long senderKey(long user, int device) {
        return user * (ProtocolLimits.MAX_DEVICE + 1) + device;
    }

    private GroupMessage readGroupMessage(Bytes<?> bytes) {
        String group = readGroup(bytes);
        need(bytes, 4 + 8 + 4 + 8 + 8 + 4 + 8, "group message");
        int owner = bytes.readInt();
        long senderUser = id(bytes.readLong(), "sender");
        int senderDevice = device(bytes.readInt());
        long id = id(bytes.readLong(), "id");
        long ts = bytes.readLong();
        int code = bytes.readInt();
        EnvelopeType type = EnvelopeType.fromCode(code);
        if (type == null) {
            throw new CorruptRecord("envelope type " + code);
        }
        long mediaSize = bytes.readLong();
        byte[] mediaId = readBytes(bytes, ProtocolLimits.MAX_MEDIA_ID_LENGTH, "media id");
        byte[] body = readBytes(bytes, Integer.MAX_VALUE, "body");
        long[] members = readUsers(bytes);
        need(bytes, 4, "owners");
        return new GroupMessage(
                group,
                owner,
                senderUser,
                senderDevice,
                id,
                ts,
                type,
                body,
                mediaId.length == 0 ? null : mediaId,
                mediaSize,
                members);
    }

    private void replayGroupQueued(Bytes<?> bytes, int cycle, JournalReplay into) {
        need(bytes, 4 + 8 + 4 + 8 + 4, "group queued");
        int groupOwner = bytes.readInt();
        long senderKey = senderKey(id(bytes.readLong(), "sender"), device(bytes.readInt()));
        long id = id(bytes.readLong(), "id");
        int count = bytes.readInt();
        // Each entry is at least 24 bytes: a count that cannot fit is damage, caught before anything is allocated.
        if (count < 1 || (long) count * 24 > bytes.readRemaining()) {
            throw new CorruptRecord("entry count " + count);
        }
        long[] users = new long[count];
        int[] devices = new int[count];
        long[] seqs = new long[count];
        byte[][] bodies = new byte[count][];
        for (int i = 0; i < count; i++) {
            need(bytes, 8 + 4 + 8 + 4, "entry");
            users[i] = id(bytes.readLong(), "user");
            devices[i] = device(bytes.readInt());
            seqs[i] = id(bytes.readLong(), "seq");
            int length = bytes.readInt();
            if (length != NO_BODY) {
                bodies[i] = new byte[length(bytes, length, Integer.MAX_VALUE, "body")];
                bytes.read(bodies[i], 0, length);
            }
        }
        end(bytes);
        holds.hold(cycle, count);
        for (int i = 0; i < count; i++) {
            into.onGroupQueued(groupOwner, senderKey, id, users[i], devices[i], seqs[i], bodies[i], cycle);
        }
    }

    private static String readGroup(Bytes<?> bytes) {
        need(bytes, 4, "group");
        int length = bytes.readInt();
        if (length < 1 || length > ProtocolLimits.MAX_GROUP_ID_LENGTH || length > bytes.readRemaining()) {
            throw new CorruptRecord("group id length " + length);
        }
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) bytes.readByte();
        }
        return new String(chars);
    }

    private static long[] readUsers(Bytes<?> bytes) {
        need(bytes, 4, "user count");
        int count = bytes.readInt();
        if (count < 0 || (long) count * 8 > bytes.readRemaining()) {
            throw new CorruptRecord("user count " + count);
        }
        long[] users = new long[count];
        for (int i = 0; i < count; i++) {
            users[i] = id(bytes.readLong(), "user");
        }
        return users;
    }

    private static byte[] readBytes(Bytes<?> bytes, int max, String what) {
        need(bytes, 4, what);
        byte[] value = new byte[length(bytes, bytes.readInt(), max, what)];
        bytes.read(value, 0, value.length);
        return value;
    }

    private long readAccepted(Bytes<?> bytes, ReplayedSend send, long[] seqs) {
        need(bytes, 8 + 4 + 8 + 8 + 8 + 8 + 4, "accepted");
        send.senderUser = id(bytes.readLong(), "sender");
        send.senderDevice = device(bytes.readInt());
        send.id = id(bytes.readLong(), "id");
        long ts = bytes.readLong();
        send.toUser = id(bytes.readLong(), "recipient");
        send.mediaSize = bytes.readLong();
        send.mediaIdLength = length(bytes, bytes.readInt(), ProtocolLimits.MAX_MEDIA_ID_LENGTH, "media id");
        bytes.read(send.mediaId, 0, send.mediaIdLength);
        need(bytes, 4, "envelope count");
        int count = bytes.readInt();
        if (count < 1 || count > ProtocolLimits.MAX_ENVELOPES) {
            throw new CorruptRecord("envelope count " + count);
        }
        send.envelopeCount = count;
        int position = 0;
        for (int i = 0; i < count; i++) {
            need(bytes, 4 + 4 + 8 + 4, "envelope");
            send.devices[i] = device(bytes.readInt());
            int code = bytes.readInt();
            send.types[i] = EnvelopeType.fromCode(code);
            if (send.types[i] == null) {
                throw new CorruptRecord("envelope type " + code);
            }
            seqs[i] = id(bytes.readLong(), "seq");
            int length = length(bytes, bytes.readInt(), Integer.MAX_VALUE, "body");
            byte[] body = scratch(length);
            bytes.read(body, 0, length);
            send.bodies.putBytes(position, body, 0, length);
            send.offsets[i] = position;
            send.lengths[i] = length;
            position += length;
        }
        return ts;
    }

    /** A record whose bytes do not decode (damaged, or cut short and filled with zeros). */
    private static final class CorruptRecord extends RuntimeException {
        CorruptRecord(String message) {
            super(message, null, false, false);
        }
    }

    private static void need(Bytes<?> bytes, long count, String what) {
        if (bytes.readRemaining() < count) {
            throw new CorruptRecord(what + " needs " + count + " bytes, " + bytes.readRemaining() + " left");
        }
    }

    private static void end(Bytes<?> bytes) {
        if (bytes.readRemaining() != 0) {
            throw new CorruptRecord(bytes.readRemaining() + " bytes past the end of the record");
        }
    }

    private static long id(long value, String what) {
        if (value < 1 || value > ProtocolLimits.MAX_ID) {
            throw new CorruptRecord(what + " " + value);
        }
        return value;
    }

    private static int device(int value) {
        if (value < 1 || value > ProtocolLimits.MAX_DEVICE) {
            throw new CorruptRecord("device " + value);
        }
        return value;
    }

    private static int length(Bytes<?> bytes, int value, int max, String what) {
        if (value < 0 || value > max || value > bytes.readRemaining()) {
            throw new CorruptRecord(what + " length " + value + " with " + bytes.readRemaining() + " bytes left");
        }
        return value;
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }
}
