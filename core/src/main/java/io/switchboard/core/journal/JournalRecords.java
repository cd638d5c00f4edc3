package io.switchboard.core.journal;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.ExpandableArrayBuffer;

/**
 * Every record type of the journal and its layout, in one place; {@link ChronicleJournal} writes them and {@link
 * JournalReplayer} reads them back. All little-endian; each record starts with its type.
 *
 * <pre>
 * ACCEPTED            type:i8 senderUser:i64 senderDevice:i32 id:i64 ts:i64 toUser:i64 mediaSize:i64
 *                     mediaIdLength:i32 mediaId count:i32 (device:i32 envelopeType:i32 seq:i64 bodyLength:i32 body)*
 * ACKNOWLEDGED        type user:i64 device:i32 seq:i64
 * ACKNOWLEDGED_BATCH  type count:i32 (user:i64 device:i32 seq:i64)*count
 * RECEIPT_PENDING     type senderUser:i64 senderDevice:i32 id:i64 recipient:i64 kind:i32 ts:i64
 * RECEIPTS_DELIVERED  type user:i64 device:i32
 * GROUP_STATE         type group members:users admins:users [count:i32 (user:i64 by:i64 expiresAt:i64 code:group)*]
 * GROUP_MESSAGE       type group owner:i32 senderUser:i64 senderDevice:i32 id:i64 ts:i64 envelopeType:i32
 *                     mediaSize:i64 mediaId:bytes body:bytes members:users owners:i32
 * GROUP_RELEASED      type groupOwner:i32 senderUser:i64 senderDevice:i32 id:i64 by:i32 messageCycle:i32
 * GROUP_QUEUED        type groupOwner:i32 senderUser:i64 senderDevice:i32 id:i64 count:i32
 *                     (user:i64 device:i32 seq:i64 bodyLength:i32 body)*
 * LAST_SEEN           type user:i64 ts:i64
 * UNREAD              type user:i64 senderUser:i64 senderDevice:i32 id:i64 ts:i64 group:i8
 * READ                type user:i64 senderUser:i64 senderDevice:i32 id:i64
 *
 * group               length:i32 ASCII bytes
 * users               count:i32 user:i64*
 * bytes               length:i32 bytes
 * </pre>
 *
 * GROUP_MESSAGE's {@code owners} is how many owners of members hold the message; a GROUP_QUEUED entry's {@code
 * bodyLength} is {@link #NO_BODY} when the entry shares the stored copy. GROUP_STATE's invites (each code written as
 * a group id is) are absent from records written before invites were journaled. GROUP_STATE, GROUP_MESSAGE and
 * GROUP_RELEASED are replayed in the first pass ({@code ReplayPass.GROUPS}), the rest in the second. UNREAD's
 * {@code ts} is the message's (it expires with the retention as the message would); its {@code group} is 1 for a group
 * message. ACKNOWLEDGED_BATCH is a run of ACKNOWLEDGED records in one ({@link AcknowledgedBatch}), replayed as they
 * would be. A document of the queue holds one record, but ACCEPTED records, which may come several to a document, back
 * to back ({@link Journal#acceptInBatches}).
 */
final class JournalRecords {
    static final byte ACCEPTED = 1;
    static final byte ACKNOWLEDGED = 2;
    static final byte RECEIPT_PENDING = 3;
    static final byte RECEIPTS_DELIVERED = 4;
    static final byte GROUP_STATE = 5;
    static final byte GROUP_MESSAGE = 6;
    static final byte GROUP_RELEASED = 7;
    static final byte GROUP_QUEUED = 8;
    static final byte LAST_SEEN = 9;
    static final byte UNREAD = 10;
    static final byte READ = 11;
    static final byte ACKNOWLEDGED_BATCH = 12;
    /** A GROUP_QUEUED entry's body length when it shares the stored copy. */
    static final int NO_BODY = -1;

    /** An ACCEPTED record's bytes from its type through its media id's length. */
    static final int ACCEPTED_FIXED_BYTES = 1 + 8 + 4 + 8 + 8 + 8 + 8 + 4;
    /** An ACCEPTED record's bytes per envelope, besides its body. */
    static final int ACCEPTED_ENVELOPE_BYTES = 4 + 4 + 8 + 4;

    private JournalRecords() {}

    /** Whether records of this type are replayed in the groups pass, before the sessions pass. */
    static boolean groupsPass(byte type) {
        return type == GROUP_STATE || type == GROUP_MESSAGE || type == GROUP_RELEASED;
    }

    static void writeGroup(Bytes<?> bytes, String group) {
        bytes.writeInt(group.length());
        for (int i = 0; i < group.length(); i++) {
            bytes.writeByte((byte) group.charAt(i));
        }
    }

    static void writeUsers(Bytes<?> bytes, long[] users) {
        bytes.writeInt(users.length);
        for (long user : users) {
            bytes.writeLong(user);
        }
    }

    /**
     * Reads the body of envelope {@code envelope} of message {@code id} of {@code senderUser}'s {@code senderDevice}
     * into {@code into}, from a document of ACCEPTED records (one, or a batch: {@link Journal#acceptInBatches}); its
     * length, or -1 if the document has no such record or is malformed.
     */
    static int acceptedBody(
            Bytes<?> bytes, long senderUser, int senderDevice, long id, int envelope, ExpandableArrayBuffer into) {
        while (bytes.readRemaining() >= ACCEPTED_FIXED_BYTES && bytes.readByte() == ACCEPTED) {
            // Non-short-circuit: every field is read, whether the first matches or not.
            boolean match = bytes.readLong() == senderUser & bytes.readInt() == senderDevice & bytes.readLong() == id;
            bytes.readSkip(8 + 8 + 8);
            int mediaIdLength = bytes.readInt();
            if (mediaIdLength < 0 || bytes.readRemaining() < mediaIdLength + 4L) {
                return -1;
            }
            bytes.readSkip(mediaIdLength);
            int count = bytes.readInt();
            for (int i = 0; i < count; i++) {
                if (bytes.readRemaining() < ACCEPTED_ENVELOPE_BYTES) {
                    return -1;
                }
                bytes.readSkip(4 + 4 + 8);
                int length = bytes.readInt();
                if (length < 0 || bytes.readRemaining() < length) {
                    return -1;
                }
                if (match && i == envelope) {
                    into.checkLimit(length);
                    bytes.read(into.byteArray(), 0, length);
                    return length;
                }
                bytes.readSkip(length);
            }
            if (match) {
                return -1;
            }
        }
        return -1;
    }

    /** Reads the body of the GROUP_MESSAGE record in {@code bytes} into {@code into}; its length, or -1 if malformed. */
    static int groupBody(Bytes<?> bytes, ExpandableArrayBuffer into) {
        if (bytes.readRemaining() < 1 + 4 || bytes.readByte() != GROUP_MESSAGE) {
            return -1;
        }
        int groupLength = bytes.readInt();
        // group, then owner, sender user and device, id, ts, envelope type and media size; then the media id.
        long fixed = (long) groupLength + 4 + 8 + 4 + 8 + 8 + 4 + 8;
        if (groupLength < 0 || bytes.readRemaining() < fixed + 4) {
            return -1;
        }
        bytes.readSkip(fixed);
        int mediaIdLength = bytes.readInt();
        if (mediaIdLength < 0 || bytes.readRemaining() < mediaIdLength + 4L) {
            return -1;
        }
        bytes.readSkip(mediaIdLength);
        int length = bytes.readInt();
        if (length < 0 || bytes.readRemaining() < length) {
            return -1;
        }
        into.checkLimit(length);
        bytes.read(into.byteArray(), 0, length);
        return length;
    }

    static void writeBytes(Bytes<?> bytes, byte[] value) {
        bytes.writeInt(value.length);
        bytes.write(value, 0, value.length);
    }
}
