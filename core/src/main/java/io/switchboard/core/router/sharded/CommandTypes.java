package io.switchboard.core.router.sharded;

/**
 * Message type ids of the records on the rings. Inbox records go from I/O loops to a shard ({@link InboxDescriptor}),
 * peer records from shard to shard ({@link PeerDescriptor}), outbox records from shards to an I/O loop
 * ({@link OutboxDescriptor}). Agrona rings reserve ids below 1.
 */
final class CommandTypes {
    static final int OPEN = 1;
    static final int CLOSE = 2;
    static final int SEND = 3;
    static final int RECV = 4;
    static final int READ = 5;
    static final int CONTROL = 6;
    static final int UNSUBSCRIBE = 7;
    static final int OPEN_WITH_RECEIPT_ACKS = 8;
    static final int RECEIPT_ACK = 9;
    static final int REMOVE_DEVICE = 11;

    static final int RECEIPT = 10;

    static final int OUT_ACK = 20;
    static final int OUT_MSG = 21;
    static final int OUT_RECEIPT = 22;
    static final int OUT_ERROR = 23;
    static final int OUT_REPLACED = 24;
    static final int OUT_FRAME = 25;
    static final int OUT_REVOKED = 26;
    /** Records of the types above, one after another: {@link OutboxBatch}. */
    static final int OUT_BATCH = 27;

    private CommandTypes() {}
}
