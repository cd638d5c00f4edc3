package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.ProtocolLimits;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.router.IoLoop;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The outbox of one I/O loop: a many-to-one ring that shards write frames into, drained on the loop itself in batches
 * with one flush per connection per batch.
 *
 * <p>Waking: a shard calls {@link #wake()} once per duty cycle for each outbox it wrote to; only the first wake
 * after a drain starts submits a task to the loop. The drain clears the flag before reading, so a record written
 * during a drain either is read by it or causes the next wake to submit again: none is left behind.
 */
final class Outbox implements Runnable, MessageHandler {
    /** Records per drain task before yielding the loop to its sockets; the rest go in a follow-up task. */
    static final int DRAIN_LIMIT = 4096;

    private final RingBuffer ring;
    private final IoLoop loop;
    private final Outbound writer;
    private final CounterSet<LoopCounter> counters;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final UnsafeBuffer body = new UnsafeBuffer(0, 0);
    private final byte[][] mediaIds = new byte[ProtocolLimits.MAX_MEDIA_ID_LENGTH + 1][];

    Outbox(IoLoop loop, int capacityBytes) {
        this.loop = loop;
        this.writer = loop.writer();
        this.counters = loop.counters();
        this.ring = new ManyToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                capacityBytes + RingBufferDescriptor.TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH)));
    }

    RingBuffer ring() {
        return ring;
    }

    void wake() {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            loop.executor().execute(this);
        }
    }

    @Override
    public void run() {
        scheduled.set(false);
        // One read stops at the end of the ring's buffer, so keep reading until nothing is left or the limit is hit.
        int total = 0;
        for (int read; total < DRAIN_LIMIT && (read = ring.read(this, DRAIN_LIMIT - total)) > 0; ) {
            total += read;
        }
        loop.flushWritten();
        counters.increment(LoopCounter.OUTBOX_DRAINS);
        counters.add(LoopCounter.OUTBOX_RECORDS, total);
        if (ring.size() > 0) {
            // Left behind: past the limit, after a padding record, or claimed and not yet committed by a shard.
            wake();
        }
    }

    @Override
    public void onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
        long connection = buffer.getLong(index + OutboxWriter.CONNECTION);
        switch (type) {
            case CommandTypes.OUT_ACK ->
                writer.ack(
                        connection,
                        buffer.getLong(index + OutboxWriter.FIELD1),
                        buffer.getLong(index + OutboxWriter.FIELD2));
            case CommandTypes.OUT_MSG -> onMsg(connection, buffer, index);
            case CommandTypes.OUT_RECEIPT ->
                writer.receipt(
                        connection,
                        buffer.getLong(index + OutboxWriter.FIELD1),
                        buffer.getLong(index + OutboxWriter.FIELD2),
                        ReceiptKind.fromCode(buffer.getInt(index + OutboxWriter.FIELD4)),
                        buffer.getLong(index + OutboxWriter.FIELD3),
                        buffer.getLong(index + OutboxWriter.FIELD5));
            case CommandTypes.OUT_ERROR -> {
                int messageLength = buffer.getInt(index + OutboxWriter.FIELD4 + 4);
                String message = messageLength == 0
                        ? null
                        : buffer.getStringWithoutLengthAscii(index + OutboxWriter.FIELD4 + 8, messageLength);
                writer.error(
                        connection,
                        ErrorCode.fromCode(buffer.getInt(index + OutboxWriter.FIELD4)),
                        buffer.getLong(index + OutboxWriter.FIELD1),
                        message,
                        buffer.getLong(index + OutboxWriter.FIELD2),
                        buffer.getLong(index + OutboxWriter.FIELD3));
            }
            case CommandTypes.OUT_REPLACED -> writer.replaced(connection);
            case CommandTypes.OUT_FRAME ->
                loop.writeEncoded(connection, buffer, index + OutboxWriter.FIELD1, length - OutboxWriter.FIELD1);
            default -> throw new IllegalStateException("unknown outbox record type " + type);
        }
    }

    private void onMsg(long connection, DirectBuffer buffer, int index) {
        int mediaIdLength = buffer.getInt(index + OutboxWriter.MSG_MEDIA_ID_LENGTH);
        int bodyLength = buffer.getInt(index + OutboxWriter.MSG_BODY_LENGTH);
        byte[] mediaId = null;
        if (mediaIdLength > 0) {
            mediaId = mediaIdBuffer(mediaIdLength);
            buffer.getBytes(index + OutboxWriter.MSG_MEDIA_ID, mediaId);
        }
        body.wrap(buffer, index + OutboxWriter.MSG_MEDIA_ID + mediaIdLength, bodyLength);
        writer.msg(
                connection,
                buffer.getLong(index + OutboxWriter.FIELD1),
                buffer.getLong(index + OutboxWriter.FIELD2),
                buffer.getLong(index + OutboxWriter.FIELD3),
                buffer.getInt(index + OutboxWriter.MSG_FROM_DEVICE),
                EnvelopeType.fromCode(buffer.getInt(index + OutboxWriter.MSG_TYPE)),
                body,
                0,
                bodyLength,
                mediaId,
                buffer.getLong(index + OutboxWriter.FIELD5),
                buffer.getLong(index + OutboxWriter.FIELD4));
    }

    /** One reusable array per media id length (ids are at most 128 bytes), so a msg with media allocates nothing. */
    private byte[] mediaIdBuffer(int length) {
        byte[] bytes = mediaIds[length];
        if (bytes == null) {
            bytes = new byte[length];
            mediaIds[length] = bytes;
        }
        return bytes;
    }
}
