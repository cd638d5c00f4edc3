package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.router.IoLoop;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The outbox of one I/O loop: a many-to-one ring that shards write frames into, most of them in batches of their own
 * ({@link OutboxBatch}), drained on the loop itself in batches with one flush per connection per batch.
 *
 * <p>Waking: a shard calls {@link #wake()} once per duty cycle for each outbox it wrote to; only the first wake
 * after a drain starts submits a task to the loop. The drain clears the flag before reading, so a record written
 * during a drain either is read by it or causes the next wake to submit again: none is left behind.
 */
final class Outbox implements Runnable, ControlledMessageHandler {
    /**
     * Records per drain task before yielding the loop to its sockets (and the rest of the shard's batch that reaches
     * it); the rest go in a follow-up task.
     */
    static final int DRAIN_LIMIT = 4096;

    private final RingBuffer ring;
    private final IoLoop loop;
    private final Outbound writer;
    private final CounterSet<LoopCounter> counters;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final MsgRecord msg = new MsgRecord();
    private final MessageHandler record = this::record;
    /** Records written in the running drain. */
    private int drained;

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
            try {
                loop.executor().execute(this);
            } catch (RejectedExecutionException stopped) {
                // The loop stopped first at shutdown: its connections are gone, and what they would have been sent
                // is still held by the shards (queued messages) or the journal.
            }
        }
    }

    @Override
    public void run() {
        scheduled.set(false);
        // One read stops at the end of the ring's buffer, so keep reading until nothing is left or the limit is hit.
        drained = 0;
        while (drained < DRAIN_LIMIT && ring.controlledRead(this, Integer.MAX_VALUE) > 0) {
            // onMessage counts the records, and stops the read at the limit.
        }
        loop.flushWritten();
        counters.increment(LoopCounter.OUTBOX_DRAINS);
        counters.add(LoopCounter.OUTBOX_RECORDS, drained);
        if (ring.size() > 0) {
            // Left behind: past the limit, after a padding record, or claimed and not yet committed by a shard.
            wake();
        }
    }

    @Override
    public Action onMessage(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type == CommandTypes.OUT_BATCH) {
            OutboxBatch.forEach(buffer, index, length, record);
        } else {
            record(type, buffer, index, length);
        }
        return drained < DRAIN_LIMIT ? Action.CONTINUE : Action.BREAK;
    }

    private void record(int type, MutableDirectBuffer buffer, int index, int length) {
        drained++;
        long connection = buffer.getLong(index + OutboxDescriptor.CONNECTION);
        switch (type) {
            case CommandTypes.OUT_ACK ->
                writer.ack(
                        connection,
                        buffer.getLong(index + OutboxDescriptor.ACK_ID),
                        buffer.getLong(index + OutboxDescriptor.ACK_TS));
            case CommandTypes.OUT_MSG -> writer.msg(connection, msg.wrap(buffer, index));
            case CommandTypes.OUT_RECEIPT ->
                writer.receipt(
                        connection,
                        buffer.getLong(index + OutboxDescriptor.RECEIPT_ID),
                        buffer.getLong(index + OutboxDescriptor.RECEIPT_TO_USER),
                        ReceiptKind.fromCode(buffer.getInt(index + OutboxDescriptor.RECEIPT_KIND)),
                        buffer.getLong(index + OutboxDescriptor.RECEIPT_TS),
                        buffer.getLong(index + OutboxDescriptor.RECEIPT_RSEQ));
            case CommandTypes.OUT_ERROR -> {
                int messageLength = buffer.getInt(index + OutboxDescriptor.ERROR_MESSAGE_LENGTH);
                String message = messageLength == 0
                        ? null
                        : buffer.getStringWithoutLengthAscii(index + OutboxDescriptor.ERROR_MESSAGE, messageLength);
                writer.error(
                        connection,
                        ErrorCode.fromCode(buffer.getInt(index + OutboxDescriptor.ERROR_CODE)),
                        buffer.getLong(index + OutboxDescriptor.ERROR_ID),
                        message,
                        buffer.getLong(index + OutboxDescriptor.ERROR_MISSING),
                        buffer.getLong(index + OutboxDescriptor.ERROR_EXTRA));
            }
            case CommandTypes.OUT_REPLACED -> writer.replaced(connection);
            case CommandTypes.OUT_REVOKED -> writer.revoked(connection);
            case CommandTypes.OUT_FRAME ->
                loop.writeEncoded(
                        connection,
                        buffer,
                        index + OutboxDescriptor.FRAME_BINARY,
                        length - OutboxDescriptor.FRAME_BINARY);
            default -> throw new IllegalStateException("unknown outbox record type " + type);
        }
    }
}
