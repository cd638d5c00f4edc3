package io.switchboard.core.router.sharded;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.MsgView;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.BinaryFrameEncoder;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.router.ConnectionRef;
import java.util.Arrays;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * A shard's {@link Outbound}: writes each frame as a record for the outbox ring of the connection's I/O loop, and
 * remembers which loops it wrote to so that the shard wakes each of them once per duty cycle, not once per record.
 *
 * <p>Records go into a batch per loop ({@link OutboxBatch}), handed to the rings at the end of the shard's duty cycle
 * ({@link #signal}), when a batch is full, or before the shard hands work to another ({@link #publish}); a record too
 * long for a batch goes into its ring alone, after the batches. Every loop's batch is handed over at once, not the full
 * one alone: so a frame a client can act on (a message it may acknowledge, which makes a receipt another shard sends
 * back) reaches its loop no sooner than every frame this shard wrote before it (that message's ack), whatever loops
 * the two are for.
 *
 * <p>When an outbox is full the shard waits for the loop to drain it (counted as outbox full waits): a loop
 * never waits on a shard, so the wait always ends, and nothing is dropped. Owned by one shard thread.
 *
 * <p>The records' layouts: {@link OutboxDescriptor}.
 */
final class OutboxWriter implements Outbound {
    private static final long NOT_SEEN = -1;

    private final Outbox[] outboxes;
    private final boolean[] touched;
    /**
     * Per loop: its ring's size at this duty cycle's first look ({@link #behind(int)}), and what this shard handed it
     * since; {@link #NOT_SEEN} before that look.
     */
    private final long[] seenBytes;

    private final int highWaterBytes;
    private final IdleStrategy fullWait;
    private final CounterSet<ShardCounter> counters;
    private final BinaryFrameEncoder encoder = new BinaryFrameEncoder();
    private final ExpandableArrayBuffer encoded = new ExpandableArrayBuffer(4096);
    private final OutboxBatch[] batches;
    private final Runnable beforeHandOver;
    /** Where the record claimed last is written: its loop's batch, or (when too long for one) its loop's ring. */
    private MutableDirectBuffer claimed;

    private int claimedLoop;
    private boolean claimedInRing;

    /**
     * @param highWaterBytes occupancy of an outbox above which its loop is behind ({@link #behind()})
     * @param beforeHandOver run before any record goes into a ring, where another thread may read it, and before the
     *     shard hands work to another ({@link #publish}): the journal's {@link Journal#completeAccepted()}, so that no
     *     ack leaves before its message's record is complete
     */
    OutboxWriter(
            Outbox[] outboxes,
            int highWaterBytes,
            IdleStrategy fullWait,
            CounterSet<ShardCounter> counters,
            Runnable beforeHandOver) {
        this.outboxes = outboxes;
        this.beforeHandOver = beforeHandOver;
        this.highWaterBytes = highWaterBytes;
        this.touched = new boolean[outboxes.length];
        this.seenBytes = new long[outboxes.length];
        Arrays.fill(seenBytes, NOT_SEEN);
        this.fullWait = fullWait;
        this.counters = counters;
        this.batches = new OutboxBatch[outboxes.length];
        for (int i = 0; i < outboxes.length; i++) {
            batches[i] = new OutboxBatch(
                    Math.min(OutboxBatch.MAX_BYTES, outboxes[i].ring().maxMsgLength()));
        }
    }

    private int claim(long connection, int type, int length) {
        int loop = ConnectionRef.loopIndex(connection);
        OutboxBatch batch = batches[loop];
        int index = batch.tryClaim(type, length);
        if (index < 0) {
            publish();
            index = batch.tryClaim(type, length);
        }
        claimedInRing = index < 0;
        if (claimedInRing) {
            beforeHandOver.run();
            index = claimInRing(loop, type, length);
            claimed = outboxes[loop].ring().buffer();
        } else {
            claimed = batch.buffer();
        }
        claimedLoop = loop;
        touched[loop] = true;
        claimed.putLong(index + OutboxDescriptor.CONNECTION, connection);
        return index;
    }

    private int claimInRing(int loop, int type, int length) {
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
        if (seenBytes[loop] != NOT_SEEN) {
            seenBytes[loop] += RecordDescriptor.HEADER_LENGTH + length;
        }
        return index;
    }

    private void commit(int index) {
        if (claimedInRing) {
            outboxes[claimedLoop].ring().commit(index);
        } else {
            batches[claimedLoop].commit();
        }
    }

    /**
     * Hands every loop's batch to its ring, without waking the loops: also before this shard hands work to another
     * (a task in its mailbox, a receipt in its peer ring), so that no frame the other shard writes for it overtakes one
     * this shard wrote before (a group's {@code result} before its {@code group.event}; a message's ack before its
     * receipt).
     */
    void publish() {
        beforeHandOver.run();
        for (int loop = 0; loop < batches.length; loop++) {
            OutboxBatch batch = batches[loop];
            if (!batch.isEmpty()) {
                int index = claimInRing(loop, CommandTypes.OUT_BATCH, batch.length());
                RingBuffer ring = outboxes[loop].ring();
                ring.buffer().putBytes(index, batch.buffer(), 0, batch.length());
                ring.commit(index);
                batch.clear();
            }
        }
    }

    @Override
    public void ack(long connection, long id, long ts) {
        int index = claim(connection, CommandTypes.OUT_ACK, OutboxDescriptor.ACK_LENGTH);
        MutableDirectBuffer buffer = claimed;
        buffer.putLong(index + OutboxDescriptor.ACK_ID, id);
        buffer.putLong(index + OutboxDescriptor.ACK_TS, ts);
        commit(index);
    }

    @Override
    public void msg(long connection, MsgView msg) {
        int index = claim(connection, CommandTypes.OUT_MSG, MsgRecord.length(msg));
        MsgRecord.write(claimed, index, msg);
        commit(index);
    }

    @Override
    public void receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq) {
        int index = claim(connection, CommandTypes.OUT_RECEIPT, OutboxDescriptor.RECEIPT_LENGTH);
        MutableDirectBuffer buffer = claimed;
        buffer.putLong(index + OutboxDescriptor.RECEIPT_ID, id);
        buffer.putLong(index + OutboxDescriptor.RECEIPT_TO_USER, toUser);
        buffer.putLong(index + OutboxDescriptor.RECEIPT_TS, ts);
        buffer.putInt(index + OutboxDescriptor.RECEIPT_KIND, kind.code());
        buffer.putLong(index + OutboxDescriptor.RECEIPT_RSEQ, rseq);
        commit(index);
    }

    @Override
    public void error(long connection, ErrorCode code, long id, String message, long missingDevices, long extra) {
        int messageLength = message == null ? 0 : message.length();
        int index = claim(connection, CommandTypes.OUT_ERROR, OutboxDescriptor.ERROR_MESSAGE + messageLength);
        MutableDirectBuffer buffer = claimed;
        buffer.putLong(index + OutboxDescriptor.ERROR_ID, id);
        buffer.putLong(index + OutboxDescriptor.ERROR_MISSING, missingDevices);
        buffer.putLong(index + OutboxDescriptor.ERROR_EXTRA, extra);
        buffer.putInt(index + OutboxDescriptor.ERROR_CODE, code.code());
        buffer.putInt(index + OutboxDescriptor.ERROR_MESSAGE_LENGTH, messageLength);
        if (messageLength > 0) {
            buffer.putStringWithoutLengthAscii(index + OutboxDescriptor.ERROR_MESSAGE, message);
        }
        commit(index);
    }

    @Override
    public void replaced(long connection) {
        commit(claim(connection, CommandTypes.OUT_REPLACED, OutboxDescriptor.HEADER_LENGTH));
    }

    @Override
    public void revoked(long connection) {
        commit(claim(connection, CommandTypes.OUT_REVOKED, OutboxDescriptor.HEADER_LENGTH));
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
        claimed.putBytes(index + OutboxDescriptor.FRAME_BINARY, encoded, 0, length);
        commit(index);
    }

    /**
     * Whether any I/O loop holds more than the high-water mark of records in its outbox, counting those this shard
     * holds for it in a batch: it drains slower than the shards write, so what a new send would add (its ack, its
     * message) waits behind that backlog. Every loop, for a send whose recipients may be on any of them (a group's).
     *
     * <p>A ring's size is read once per loop per duty cycle, and what this shard hands it later in the cycle is added
     * to it: read on every send, its head and tail (written by the loop and the other shards) cost a cache miss or two
     * a send (results/reference/20261207-outbox-batches). What the loop drains and the other shards write meanwhile is
     * seen at the next cycle's first look.
     */
    boolean behind() {
        for (int loop = 0; loop < outboxes.length; loop++) {
            if (behind(loop)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the I/O loop of {@code connection} is behind, as {@link #behind()} says of any loop. */
    boolean behind(long connection) {
        return behind(ConnectionRef.loopIndex(connection));
    }

    private boolean behind(int loop) {
        long seen = seenBytes[loop];
        if (seen == NOT_SEEN) {
            seen = outboxes[loop].ring().size();
            seenBytes[loop] = seen;
        }
        return seen + batches[loop].length() > highWaterBytes;
    }

    /**
     * Hands the batches to the rings and wakes every loop written to since the last call: one task per loop per duty
     * cycle.
     */
    void signal() {
        publish();
        Arrays.fill(seenBytes, NOT_SEEN);
        for (int i = 0; i < touched.length; i++) {
            if (touched[i]) {
                touched[i] = false;
                outboxes[i].wake();
            }
        }
    }
}
