package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.MsgView;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.BinaryFrameEncoder;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.router.ConnectionRef;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * A shard's {@link Outbound}: writes each frame as a record into the outbox ring of the connection's I/O loop, and
 * remembers which loops it wrote to so that the shard wakes each of them once per duty cycle, not once per record.
 *
 * <p>When an outbox is full the shard waits for the loop to drain it (counted as outbox full waits): a loop
 * never waits on a shard, so the wait always ends, and nothing is dropped. Owned by one shard thread.
 *
 * <p>The records' layouts: {@link OutboxDescriptor}.
 */
final class OutboxWriter implements Outbound {
    private final Outbox[] outboxes;
    private final boolean[] touched;
    private final int highWaterBytes;
    private final IdleStrategy fullWait;
    private final CounterSet<ShardCounter> counters;
    private final BinaryFrameEncoder encoder = new BinaryFrameEncoder();
    private final ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(4096);

    /** @param highWaterBytes occupancy of an outbox above which its loop is behind ({@link #behind()}) */
    OutboxWriter(Outbox[] outboxes, int highWaterBytes, IdleStrategy fullWait, CounterSet<ShardCounter> counters) {
        this.outboxes = outboxes;
        this.highWaterBytes = highWaterBytes;
        this.touched = new boolean[outboxes.length];
        this.fullWait = fullWait;
        this.counters = counters;
    }

    private int claim(long connection, int type, int length) {
        int loop = ConnectionRef.loopIndex(connection);
        RingBuffer outbox = outboxes[loop].ring();
        int index = outbox.tryClaim(type, length);
        if (index <= 0) {
            fullWait.reset();
            do {
                // Wake the loop first: the records that filled the ring may not have been signalled yet.
                outboxes[loop].wake();
                counters.increment(ShardCounter.OUTBOX_FULL_WAITS);
                fullWait.idle();
                ClosingWait.stopIfClosing("the outbox of I/O loop ", loop);
                index = outbox.tryClaim(type, length);
            } while (index <= 0);
        }
        touched[loop] = true;
        outbox.buffer().putLong(index + OutboxDescriptor.CONNECTION, connection);
        return index;
    }

    private void commit(long connection, int index) {
        outboxes[ConnectionRef.loopIndex(connection)].ring().commit(index);
    }

    private MutableDirectBuffer buffer(long connection) {
        return outboxes[ConnectionRef.loopIndex(connection)].ring().buffer();
    }

    @Override
    public void ack(long connection, long id, long ts) {
        int index = claim(connection, CommandTypes.OUT_ACK, OutboxDescriptor.ACK_LENGTH);
        MutableDirectBuffer buffer = buffer(connection);
        buffer.putLong(index + OutboxDescriptor.ACK_ID, id);
        buffer.putLong(index + OutboxDescriptor.ACK_TS, ts);
        commit(connection, index);
    }

    @Override
    public void msg(long connection, MsgView msg) {
        int index = claim(connection, CommandTypes.OUT_MSG, MsgRecord.length(msg));
        MsgRecord.write(buffer(connection), index, msg);
        commit(connection, index);
    }

    @Override
    public void receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq) {
        int index = claim(connection, CommandTypes.OUT_RECEIPT, OutboxDescriptor.RECEIPT_LENGTH);
        MutableDirectBuffer buffer = buffer(connection);
        buffer.putLong(index + OutboxDescriptor.RECEIPT_ID, id);
        buffer.putLong(index + OutboxDescriptor.RECEIPT_TO_USER, toUser);
        buffer.putLong(index + OutboxDescriptor.RECEIPT_TS, ts);
        buffer.putInt(index + OutboxDescriptor.RECEIPT_KIND, kind.code());
        buffer.putLong(index + OutboxDescriptor.RECEIPT_RSEQ, rseq);
        commit(connection, index);
    }

    @Override
    public void error(long connection, ErrorCode code, long id, String message, long missingDevices, long extra) {
        int messageLength = message == null ? 0 : message.length();
        int index = claim(connection, CommandTypes.OUT_ERROR, OutboxDescriptor.ERROR_MESSAGE + messageLength);
        MutableDirectBuffer buffer = buffer(connection);
        buffer.putLong(index + OutboxDescriptor.ERROR_ID, id);
        buffer.putLong(index + OutboxDescriptor.ERROR_MISSING, missingDevices);
        buffer.putLong(index + OutboxDescriptor.ERROR_EXTRA, extra);
        buffer.putInt(index + OutboxDescriptor.ERROR_CODE, code.code());
        buffer.putInt(index + OutboxDescriptor.ERROR_MESSAGE_LENGTH, messageLength);
        if (messageLength > 0) {
            buffer.putStringWithoutLengthAscii(index + OutboxDescriptor.ERROR_MESSAGE, message);
        }
        commit(connection, index);
    }

    @Override
    public void replaced(long connection) {
        commit(connection, claim(connection, CommandTypes.OUT_REPLACED, OutboxDescriptor.HEADER_LENGTH));
    }

    @Override
    public void revoked(long connection) {
        commit(connection, claim(connection, CommandTypes.OUT_REVOKED, OutboxDescriptor.HEADER_LENGTH));
    }

    /**
     * A group, presence or typing frame, encoded here once as sb.bin.v1 whatever the connection speaks: the shard does
     * not know (the I/O loop owns that), binary is the cheaper encode on the shard, whose thread is the scarcer, and a
     * binary connection's loop then copies the bytes as they are while a JSON connection's loop re-encodes them.
     * Encoding both forms into the record would double the shard's work and the ring's bytes for every frame.
     */
    @Override
    public void frame(long connection, Frame frame) {
        int length = encoder.encode(frame, encoded, 0);
        int index = claim(connection, CommandTypes.OUT_FRAME, OutboxDescriptor.FRAME_BINARY + length);
        buffer(connection).putBytes(index + OutboxDescriptor.FRAME_BINARY, encoded, 0, length);
        commit(connection, index);
    }

    /**
     * Whether any I/O loop holds more than the high-water mark of records in its outbox: it drains slower than the
     * shards write, so what a new send would add (its ack, its message) waits behind that backlog. A few volatile reads
     * per loop; every loop, for a send whose recipients may be on any of them (a group's).
     */
    boolean behind() {
        for (Outbox outbox : outboxes) {
            if (outbox.ring().size() > highWaterBytes) {
                return true;
            }
        }
        return false;
    }

    /** Whether the I/O loop of {@code connection} is behind, as {@link #behind()} says of any loop: one volatile read. */
    boolean behind(long connection) {
        return outboxes[ConnectionRef.loopIndex(connection)].ring().size() > highWaterBytes;
    }

    /** Wakes every loop written to since the last call: one task per loop per duty cycle. */
    void signal() {
        for (int i = 0; i < touched.length; i++) {
            if (touched[i]) {
                touched[i] = false;
                outboxes[i].wake();
            }
        }
    }
}
