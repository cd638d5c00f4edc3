package io.switchboard.core.journal;

import static io.switchboard.core.journal.JournalRecords.ACCEPTED;
import static io.switchboard.core.journal.JournalRecords.ACCEPTED_ENVELOPE_BYTES;
import static io.switchboard.core.journal.JournalRecords.ACCEPTED_FIXED_BYTES;
import static io.switchboard.core.journal.JournalRecords.ACKNOWLEDGED;
import static io.switchboard.core.journal.JournalRecords.ACKNOWLEDGED_BATCH;
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

import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SenderKey;
import io.switchboard.core.message.StoredBodies;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ProtocolLimits;
import io.switchboard.core.protocol.ReceiptKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link ChronicleJournal}'s records back at start ({@link JournalRecords} has their layouts) and hands them
 * to the owner that replays them, taking the journal's cycle holds as it goes.
 *
 * <p>Every record is checked before it is handed on: each length against what is left of the record (so a damaged one
 * never makes us allocate), ids, devices, counts and codes against their ranges, and nothing may be left over. A
 * record that fails is logged and skipped alone, since Chronicle's framing says where the next one starts.
 *
 * <p>Runs on the thread that opens the owner, before the owner's thread starts.
 */
final class JournalReplayer {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);
    /** Unreadable records logged one by one at replay; a count of all follows. */
    private static final int LOGGED_CORRUPT_RECORDS = 10;

    private final Path directory;
    private final SingleChronicleQueue queue;
    private final CycleHolds holds;
    /** Where a stored group message's body is read back from, should its owner keep it off the heap. */
    private final StoredBodies storedBodies;

    private byte[] scratch = new byte[4096];

    JournalReplayer(Path directory, SingleChronicleQueue queue, CycleHolds holds, StoredBodies storedBodies) {
        this.directory = directory;
        this.queue = queue;
        this.holds = holds;
        this.storedBodies = storedBodies;
    }

    private byte[] scratch(int length) {
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        return scratch;
    }

    /** Replays the records of one pass into {@code into}, each checked whole before it is handed on. */
    void replay(JournalReplay into, Journal.ReplayPass pass) {
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
                        if (replay(bytes, lastRead, send, seqs, into, pass)) {
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
            if (last > lastRead && pass == Journal.ReplayPass.SESSIONS) {
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
        if (pass == Journal.ReplayPass.SESSIONS) {
            holds.deferDeletes(false);
            holds.deleteUnheld();
        }
    }

    /**
     * Decodes one record of this pass (or a batch of ACCEPTED ones) whole, checking every length and range, and only
     * then hands it on; false for a record of the other pass.
     */
    private boolean replay(
            Bytes<?> bytes, long index, ReplayedSend send, long[] seqs, JournalReplay into, Journal.ReplayPass pass) {
        int cycle = queue.rollCycle().toCycle(index);
        need(bytes, 1, "type");
        byte type = bytes.readByte();
        if (JournalRecords.groupsPass(type) != (pass == Journal.ReplayPass.GROUPS)) {
            return false;
        }
        switch (type) {
            case ACCEPTED -> {
                // One record, or a batch of them (Journal.acceptInBatches), all at the document's index.
                while (true) {
                    long ts = readAccepted(bytes, send, seqs);
                    holds.hold(cycle, send.envelopeCount);
                    into.onAccepted(send, ts, seqs, cycle, index);
                    if (bytes.readRemaining() == 0) {
                        break;
                    }
                    byte next = bytes.readByte();
                    if (next != ACCEPTED) {
                        throw new CorruptRecord("type " + next + " in a batch of accepted records");
                    }
                }
            }
            case ACKNOWLEDGED -> {
                need(bytes, 8 + 4 + 8, "acknowledged");
                long user = id(bytes.readLong(), "user");
                int device = device(bytes.readInt());
                long seq = id(bytes.readLong(), "seq");
                end(bytes);
                into.onAcknowledged(user, device, seq);
            }
            case ACKNOWLEDGED_BATCH -> {
                need(bytes, 4, "acknowledged batch");
                int count = bytes.readInt();
                if (count < 1 || count > AcknowledgedBatch.MAX_ENTRIES) {
                    throw new CorruptRecord("an acknowledged batch of " + count);
                }
                need(bytes, (long) count * AcknowledgedBatch.ENTRY_BYTES, "acknowledged batch");
                long entries = bytes.readPosition();
                // Checked whole before any of it is replayed, as a record of one is.
                for (int i = 0; i < count; i++) {
                    id(bytes.readLong(), "user");
                    device(bytes.readInt());
                    id(bytes.readLong(), "seq");
                }
                end(bytes);
                bytes.readPosition(entries);
                for (int i = 0; i < count; i++) {
                    into.onAcknowledged(bytes.readLong(), bytes.readInt(), bytes.readLong());
                }
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
                List<GroupInvite> invites = bytes.readRemaining() == 0 ? List.of() : readInvites(bytes);
                end(bytes);
                if (members.length > 0) {
                    holds.hold(cycle, 1);
                }
                into.onGroupState(group, members, admins, invites, cycle);
            }
            case GROUP_MESSAGE -> {
                GroupMessage message = readGroupMessage(bytes);
                message.cycle(cycle);
                message.storedAt(index, storedBodies);
                int owners = bytes.readInt();
                end(bytes);
                holds.hold(cycle, owners);
                into.onGroupMessage(message);
            }
            case GROUP_RELEASED -> {
                need(bytes, 4 + 8 + 4 + 8 + 4 + 4, "group released");
                int groupOwner = bytes.readInt();
                long senderKey = SenderKey.of(id(bytes.readLong(), "sender"), device(bytes.readInt()));
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
            case UNREAD -> {
                need(bytes, 8 + 8 + 4 + 8 + 8 + 1, "unread");
                long user = id(bytes.readLong(), "user");
                long senderUser = id(bytes.readLong(), "sender");
                int senderDevice = device(bytes.readInt());
                long id = id(bytes.readLong(), "id");
                long ts = bytes.readLong();
                byte group = bytes.readByte();
                if (group != 0 && group != 1) {
                    throw new CorruptRecord("group flag " + group);
                }
                end(bytes);
                holds.hold(cycle, 1);
                into.onUnread(user, senderUser, senderDevice, id, ts, group == 1, cycle);
            }
            case READ -> {
                need(bytes, 8 + 8 + 4 + 8, "read");
                long user = id(bytes.readLong(), "user");
                long senderUser = id(bytes.readLong(), "sender");
                int senderDevice = device(bytes.readInt());
                long id = id(bytes.readLong(), "id");
                end(bytes);
                into.onRead(user, senderUser, senderDevice, id);
            }
            default -> throw new CorruptRecord("unknown record type " + type);
        }
        return true;
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
        long senderKey = SenderKey.of(id(bytes.readLong(), "sender"), device(bytes.readInt()));
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

    private static List<GroupInvite> readInvites(Bytes<?> bytes) {
        need(bytes, 4, "invite count");
        int count = bytes.readInt();
        // Each invite is at least 29 bytes: a count that cannot fit is damage, caught before anything is allocated.
        if (count < 0 || (long) count * 29 > bytes.readRemaining()) {
            throw new CorruptRecord("invite count " + count);
        }
        List<GroupInvite> invites = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            need(bytes, 8 + 8 + 8, "invite");
            long user = id(bytes.readLong(), "invited user");
            long by = id(bytes.readLong(), "inviting admin");
            long expiresAtMs = bytes.readLong();
            invites.add(new GroupInvite(user, by, readGroup(bytes), expiresAtMs));
        }
        return invites;
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
        // The type is read already.
        need(bytes, ACCEPTED_FIXED_BYTES - 1, "accepted");
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
            need(bytes, ACCEPTED_ENVELOPE_BYTES, "envelope");
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
}
