package io.switchboard.core.router.sharded;

/**
 * The one record of a peer ring (shards → one shard): a receipt for a message that a user of the reading shard sent.
 * The writing shard routes it ({@code ShardAgent.routeReceipt}); the reading shard hands it to its owner
 * ({@code ShardAgent.onPeer}); both use these offsets alone.
 *
 * <pre>
 *  RECEIPT  senderUser:i64 id:i64 recipientUser:i64 ts:i64 senderDevice:i32 kind:i32
 * </pre>
 *
 * {@code kind} is the receipt kind's code, with {@link #GROUP_RECEIPT} set when the receipt is one member's part of a
 * group message's delivery list.
 */
final class PeerDescriptor {
    static final int SENDER_USER = 0;
    static final int ID = 8;
    static final int RECIPIENT = 16;
    static final int TS = 24;
    static final int SENDER_DEVICE = 32;
    static final int KIND = 36;
    static final int RECEIPT_LENGTH = 40;

    static final int GROUP_RECEIPT = 0x100;

    private PeerDescriptor() {}
}
