package io.switchboard.core.router.sharded;

/**
 * The records of a shard's inbox (I/O loops → one shard). {@link ShardProxy} writes them and {@link InboxAdapter}
 * reads them; both use these offsets alone. The fixed records share one shape, whose second long means what the
 * record type says.
 *
 * <pre>
 *  OPEN, OPEN_WITH_RECEIPT_ACKS, CLOSE  user:i64 connection:i64 device:i32
 *  UNSUBSCRIBE                          user:i64 connection:i64 device:i32 (unused)
 *  RECV                                 user:i64 seq:i64 device:i32
 *  RECEIPT_ACK                          user:i64 rseq:i64 device:i32
 *  REMOVE_DEVICE                        user:i64 (unused):i64 device:i32
 *  READ                                 user:i64 senderUser:i64 senderDevice:i32 count:i32 ids:i64[count]
 *  CONTROL                              user:i64 connection:i64 device:i32 pad:i32 decodedNs:i64 binary
 *  SEND                                 the layout of {@link SendCommand}
 * </pre>
 *
 * CONTROL carries the frame as sb.bin.v1 (whatever the client speaks), which the shard decodes again: group, presence
 * and typing frames are few and varied, so a copy of their encoding is simpler than a layout per type.
 */
final class InboxDescriptor {
    static final int USER = 0;
    /** The second long of a fixed record, named by type below. */
    static final int FIXED_VALUE = 8;

    static final int CONNECTION = 8;
    static final int SEQ = 8;
    static final int RSEQ = 8;
    static final int SENDER_USER = 8;
    /** The user's device; in READ, the sending device. */
    static final int DEVICE = 16;

    static final int FIXED_LENGTH = 20;

    static final int READ_COUNT = 20;
    static final int READ_IDS = 24;

    static final int CONTROL_DECODED_NS = 24;
    static final int CONTROL_BINARY = 32;

    private InboxDescriptor() {}
}
