package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.JsonFrameEncoder;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.router.ConnectionRef;
import org.agrona.DirectBuffer;
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
 * <p>Records start with {@code connection:i64}; then ACK {@code id ts}; RECEIPT {@code id toUser ts kind:i32 pad:i32 rseq}; ERROR
 * {@code id missing extra code:i32 messageLength:i32 message}; MSG {@code seq id fromUser ts mediaSize fromDevice:i32
 * type:i32 mediaIdLength:i32 bodyLength:i32 mediaId body}; REPLACED nothing more; FRAME the frame's sb.json.v1 text,
 * encoded here on the shard (the rarer frames: group, presence and typing traffic).
 */
final class OutboxWriter implements Outbound {
    static final int CONNECTION = 0;
    static final int FIELD1 = 8;
    static final int FIELD2 = 16;
    static final int FIELD3 = 24;
    static final int FIELD4 = 32;
    static final int FIELD5 = 40;
    static final int MSG_FROM_DEVICE = 48;
    static final int MSG_TYPE = 52;
    static final int MSG_MEDIA_ID_LENGTH = 56;
    static final int MSG_BODY_LENGTH = 60;
    static final int MSG_MEDIA_ID = 64;

    private final Outbox[] outboxes;
    private final boolean[] touched;
    private final IdleStrategy fullWait;
    private final CounterSet<ShardCounter> counters;
    private final JsonFrameEncoder encoder = new JsonFrameEncoder();
    private final ExpandableArrayBuffer text = new ExpandableArrayBuffer(4096);

    OutboxWriter(Outbox[] outboxes, IdleStrategy fullWait, CounterSet<ShardCounter> counters) {
        this.outboxes = outboxes;
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
        outbox.buffer().putLong(index + CONNECTION, connection);
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
        int index = claim(connection, CommandTypes.OUT_ACK, FIELD3);
        MutableDirectBuffer buffer = buffer(connection);
        buffer.putLong(index + FIELD1, id);
        buffer.putLong(index + FIELD2, ts);
        commit(connection, index);
    }

    @Override
    public void msg(
            long connection,
            long seq,
            long id,
            long fromUser,
            int fromDevice,
            EnvelopeType type,
            DirectBuffer body,
            int bodyOffset,
            int bodyLength,
            byte[] mediaId,
            long mediaSize,
            long ts) {
        int mediaIdLength = mediaId == null ? 0 : mediaId.length;
        int index = claim(connection, CommandTypes.OUT_MSG, MSG_MEDIA_ID + mediaIdLength + bodyLength);
        MutableDirectBuffer buffer = buffer(connection);
        buffer.putLong(index + FIELD1, seq);
        buffer.putLong(index + FIELD2, id);
        buffer.putLong(index + FIELD3, fromUser);
        buffer.putLong(index + FIELD4, ts);
        buffer.putLong(index + FIELD5, mediaSize);
        buffer.putInt(index + MSG_FROM_DEVICE, fromDevice);
        buffer.putInt(index + MSG_TYPE, type.code());
        buffer.putInt(index + MSG_MEDIA_ID_LENGTH, mediaIdLength);
        buffer.putInt(index + MSG_BODY_LENGTH, bodyLength);
        if (mediaIdLength > 0) {
            buffer.putBytes(index + MSG_MEDIA_ID, mediaId);
        }
        buffer.putBytes(index + MSG_MEDIA_ID + mediaIdLength, body, bodyOffset, bodyLength);
        commit(connection, index);
    }

    @Override
    public void receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq) {
        int index = claim(connection, CommandTypes.OUT_RECEIPT, FIELD5 + Long.BYTES);
        MutableDirectBuffer buffer = buffer(connection);
        buffer.putLong(index + FIELD1, id);
        buffer.putLong(index + FIELD2, toUser);
        buffer.putLong(index + FIELD3, ts);
        buffer.putInt(index + FIELD4, kind.code());
        buffer.putLong(index + FIELD5, rseq);
        commit(connection, index);
    }

    @Override
    public void error(long connection, ErrorCode code, long id, String message, long missingDevices, long extra) {
        int messageLength = message == null ? 0 : message.length();
        int index = claim(connection, CommandTypes.OUT_ERROR, FIELD4 + 2 * Integer.BYTES + messageLength);
        MutableDirectBuffer buffer = buffer(connection);
        buffer.putLong(index + FIELD1, id);
        buffer.putLong(index + FIELD2, missingDevices);
        buffer.putLong(index + FIELD3, extra);
        buffer.putInt(index + FIELD4, code.code());
        buffer.putInt(index + FIELD4 + 4, messageLength);
        if (messageLength > 0) {
            buffer.putStringWithoutLengthAscii(index + FIELD4 + 8, message);
        }
        commit(connection, index);
    }

    @Override
    public void replaced(long connection) {
        commit(connection, claim(connection, CommandTypes.OUT_REPLACED, FIELD1));
    }

    @Override
    public void frame(long connection, Frame frame) {
        int length = encoder.encode(frame, text, 0);
        int index = claim(connection, CommandTypes.OUT_FRAME, FIELD1 + length);
        buffer(connection).putBytes(index + FIELD1, text, 0, length);
        commit(connection, index);
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
