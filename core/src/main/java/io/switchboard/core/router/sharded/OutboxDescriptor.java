package io.switchboard.core.router.sharded;

/**
 * The records of an outbox ring (shards → one I/O loop), one layout per type, each starting with the connection it
 * is for. {@link OutboxWriter} writes them and {@link Outbox} reads them; both use these offsets alone. Offsets are
 * from the record's start; all values little-endian, as Agrona writes them.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                    connection (i64), every type               |
 *  +---------------------------------------------------------------+
 *  ACK       id:i64 ts:i64
 *  MSG       the layout of {@link MsgRecord}
 *  RECEIPT   id:i64 toUser:i64 ts:i64 kind:i32 pad:i32 rseq:i64
 *  ERROR     id:i64 missing:i64 extra:i64 code:i32 messageLength:i32 message:ascii
 *  REPLACED  nothing more
 *  REVOKED   nothing more
 *  FRAME     the frame as sb.bin.v1, encoded on the shard (group, presence and typing traffic); the I/O loop sends
 *            it as it is to a binary connection and as JSON to a JSON one
 * </pre>
 */
final class OutboxDescriptor {
    static final int CONNECTION = 0;
    static final int HEADER_LENGTH = 8;

    static final int ACK_ID = 8;
    static final int ACK_TS = 16;
    static final int ACK_LENGTH = 24;

    static final int RECEIPT_ID = 8;
    static final int RECEIPT_TO_USER = 16;
    static final int RECEIPT_TS = 24;
    static final int RECEIPT_KIND = 32;
    static final int RECEIPT_RSEQ = 40;
    static final int RECEIPT_LENGTH = 48;

    static final int ERROR_ID = 8;
    static final int ERROR_MISSING = 16;
    static final int ERROR_EXTRA = 24;
    static final int ERROR_CODE = 32;
    static final int ERROR_MESSAGE_LENGTH = 36;
    static final int ERROR_MESSAGE = 40;

    static final int FRAME_BINARY = 8;

    private OutboxDescriptor() {}
}
