package io.switchboard.core.router.sharded;

import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The records one shard writes for one I/O loop, held until the shard's duty cycle ends, a batch is full or the shard
 * hands work to another ({@link OutboxWriter#publish}), and then handed to the loop's outbox ring as one {@link
 * CommandTypes#OUT_BATCH} record. A record claimed in a many-to-one ring is a compare-and-set on the ring's tail, which
 * both shards write, so its cache line goes from core to core: claims took 253 ns a message with two shards against
 * 153 with one, and 72-98 with these batches (results/reference/20261207-outbox-batches). Here the records are written
 * into memory the shard alone touches, and the tail is claimed once a batch.
 *
 * <pre>
 *  each record: length:i32 type:i32 record:bytes (the layout of its type, {@link OutboxDescriptor}), padded to 8
 * </pre>
 *
 * Owned by one shard thread; read on the loop by {@link #forEach}.
 */
final class OutboxBatch {
    /** Bytes a batch holds at most, when the ring takes records that long: a page. */
    static final int MAX_BYTES = 4096;

    static final int RECORD_HEADER = 8;
    private static final int LENGTH = 0;
    private static final int TYPE = 4;

    private final UnsafeBuffer buffer;
    private int length;
    /** The size the claimed record takes in the batch, added by {@link #commit}. */
    private int claimedSize;

    /** @param capacity bytes at most: no more than the ring takes in one record */
    OutboxBatch(int capacity) {
        this.buffer = new UnsafeBuffer(new byte[BitUtil.align(capacity, RECORD_HEADER)]);
    }

    /**
     * Where a record of {@code type} and {@code recordLength} bytes starts in {@link #buffer()}, or -1 when the batch
     * has no room left for it.
     */
    int tryClaim(int type, int recordLength) {
        int size = RECORD_HEADER + BitUtil.align(recordLength, RECORD_HEADER);
        if (length + size > buffer.capacity()) {
            return -1;
        }
        buffer.putInt(length + LENGTH, recordLength);
        buffer.putInt(length + TYPE, type);
        claimedSize = size;
        return length + RECORD_HEADER;
    }

    /** Adds the record claimed last. */
    void commit() {
        length += claimedSize;
    }

    MutableDirectBuffer buffer() {
        return buffer;
    }

    /** The bytes held: the length of the ring record they go in. */
    int length() {
        return length;
    }

    boolean isEmpty() {
        return length == 0;
    }

    void clear() {
        length = 0;
    }

    /** Hands each record of the batch at {@code index} in {@code buffer} to {@code handler}, in order. */
    static void forEach(MutableDirectBuffer buffer, int index, int length, MessageHandler handler) {
        for (int at = index, end = index + length; at < end; ) {
            int recordLength = buffer.getInt(at + LENGTH);
            handler.onMessage(buffer.getInt(at + TYPE), buffer, at + RECORD_HEADER, recordLength);
            at += RECORD_HEADER + BitUtil.align(recordLength, RECORD_HEADER);
        }
    }
}
