package io.switchboard.core.router.sharded;

import io.switchboard.core.config.JournalContext;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.MsgView;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;
import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * One shard of {@link CeilingRouter}, the single owner of two things: the sessions of its users (which connection each
 * online device has) and the deliveries it made whose {@code recv} has not come yet. A send, read in place from the
 * inbox, is appended once to the shard's Chronicle queue, acknowledged, and written to each recipient device's
 * outbox under a seq from one counter of the shard's (so each device's seqs rise, as a device expects); its place in
 * a ring of deliveries, chosen by that seq, keeps what the {@code recv} needs to make the sender's receipt: the
 * sender's connection and the message id. Nothing else is kept; nothing allocates per message.
 */
final class CeilingShard implements Agent, MessageHandler, MsgView, AutoCloseable {
    /** Devices are bits of a long mask (protocol.md), so six bits of the key hold one. */
    private static final int DEVICE_BITS = 6;

    private static final String OFFLINE = "the ceiling keeps no offline queue: the recipient device has no session";

    private final int index;
    private final RingBuffer inbox;
    private final OutboxWriter out;
    private final CounterSet<ShardCounter> counters;
    /** Device key ({@link #key}) to its session's connection; 0 for none. */
    private final Long2LongHashMap connections = new Long2LongHashMap(1 << 12, 0.65f, 0);

    private final int inFlightMask;
    /** Per place in the ring of deliveries: the seq delivered there (0: free), its sender's connection, its id. */
    private final long[] deliveredSeq;

    private final long[] senderConnection;
    private final long[] messageId;
    private long lastSeq;

    private final SingleChronicleQueue queue;
    private ExcerptAppender appender;
    /** A body on its way into the queue: Chronicle writes from a heap array here, as the server's journal does. */
    private byte[] body = new byte[1024];

    private final SendCommand send = new SendCommand();
    private final Frame welcome = new Frame();
    private long nowMs;
    /** The envelope and seq of the {@code msg} being written, which this shard presents as a {@link MsgView}. */
    private int envelope;

    private long seq;

    /**
     * @param inFlight the most deliveries whose {@code recv} may be outstanding, a power of two
     * @param journal the directory of its Chronicle queue, or null to append nothing ({@code journal.type: memory})
     */
    CeilingShard(
            int index,
            RingBuffer inbox,
            OutboxWriter out,
            CounterSet<ShardCounter> counters,
            int inFlight,
            Path journal,
            JournalContext context) {
        this.index = index;
        this.inbox = inbox;
        this.out = out;
        this.counters = counters;
        this.inFlightMask = inFlight - 1;
        this.deliveredSeq = new long[inFlight];
        this.senderConnection = new long[inFlight];
        this.messageId = new long[inFlight];
        this.queue = journal == null
                ? null
                : SingleChronicleQueueBuilder.single(journal.toFile())
                        .rollCycle(context.rollCycle().rollCycle())
                        .blockSize(context.blockBytes())
                        .build();
    }

    /** On the shard's thread: Chronicle's appenders belong to the thread that made them. */
    @Override
    public void onStart() {
        if (queue != null) {
            appender = queue.createAppender();
        }
    }

    @Override
    public int doWork() {
        nowMs = System.currentTimeMillis();
        int work = inbox.read(this, ShardAgent.INBOX_LIMIT);
        if (work > 0) {
            out.signal();
            counters.increment(ShardCounter.DUTY_CYCLES);
            counters.add(ShardCounter.WORK_ITEMS, work);
        }
        return work;
    }

    @Override
    public void onMessage(int type, MutableDirectBuffer buffer, int at, int length) {
        switch (type) {
            case CommandTypes.SEND -> send(send.wrap(buffer, at));
            case CommandTypes.RECV ->
                recv(buffer.getLong(at + InboxDescriptor.USER), buffer.getLong(at + InboxDescriptor.SEQ));
            case CommandTypes.OPEN ->
                open(
                        buffer.getLong(at + InboxDescriptor.USER),
                        buffer.getInt(at + InboxDescriptor.DEVICE),
                        buffer.getLong(at + InboxDescriptor.CONNECTION));
            case CommandTypes.CLOSE -> {
                long key = key(buffer.getLong(at + InboxDescriptor.USER), buffer.getInt(at + InboxDescriptor.DEVICE));
                if (connections.get(key) == buffer.getLong(at + InboxDescriptor.CONNECTION)) {
                    connections.remove(key);
                }
            }
            default -> throw new IllegalStateException("ceiling routing got a command of type " + type);
        }
    }

    /** Welcome, unnumbered receipts: the session is this shard's to reach until it closes or another replaces it. */
    private void open(long user, int device, long connection) {
        connections.put(key(user, device), connection);
        out.frame(
                connection,
                welcome.reset(FrameType.WELCOME)
                        .user(user)
                        .device(device)
                        .ts(nowMs)
                        .receiptAcks(false));
        counters.increment(ShardCounter.SESSIONS_OPENED);
    }

    private void send(SendCommand send) {
        long sender = send.senderConnection();
        long toUser = send.toUser();
        int count = send.envelopeCount();
        for (int i = 0; i < count; i++) {
            if (connections.get(key(toUser, send.envelopeDevice(i))) == 0) {
                out.error(sender, ErrorCode.UNAVAILABLE, send.id(), OFFLINE, 0, 0);
                counters.increment(ShardCounter.MESSAGES_REJECTED);
                return;
            }
        }
        if (appender != null) {
            append(send);
        }
        out.ack(sender, send.id(), nowMs);
        counters.increment(ShardCounter.MESSAGES_ACCEPTED);
        for (envelope = 0; envelope < count; envelope++) {
            seq = ++lastSeq;
            int place = (int) (seq & inFlightMask);
            if (deliveredSeq[place] != 0) {
                counters.increment(ShardCounter.RECEIPTS_DROPPED);
            }
            deliveredSeq[place] = seq;
            senderConnection[place] = sender;
            messageId[place] = send.id();
            out.msg(connections.get(key(toUser, send.envelopeDevice(envelope))), this);
        }
        counters.add(ShardCounter.MESSAGES_DELIVERED, count);
    }

    /** The one append: sender, id, recipient and every envelope's body, before the ack. */
    private void append(SendCommand send) {
        try (DocumentContext document = appender.writingDocument()) {
            Bytes<?> bytes = document.wire().bytes();
            bytes.writeLong(send.senderUser());
            bytes.writeLong(send.id());
            bytes.writeLong(send.toUser());
            for (int i = 0, n = send.envelopeCount(); i < n; i++) {
                int length = send.bodyLength(i);
                if (body.length < length) {
                    body = new byte[Math.max(length, body.length * 2)];
                }
                send.bodyBuffer(i).getBytes(send.bodyOffset(i), body, 0, length);
                bytes.writeInt(length);
                bytes.write(body, 0, length);
            }
        }
    }

    /** The recipient has the message: its sender gets the delivered receipt, once, if its place was not taken since. */
    private void recv(long user, long seq) {
        int place = (int) (seq & inFlightMask);
        if (deliveredSeq[place] != seq) {
            return;
        }
        deliveredSeq[place] = 0;
        out.receipt(senderConnection[place], messageId[place], user, ReceiptKind.DELIVERED, nowMs, 0);
        counters.increment(ShardCounter.RECEIPTS_DELIVERED);
    }

    private static long key(long user, int device) {
        return user << DEVICE_BITS | device;
    }

    @Override
    public void onClose() {
        close();
    }

    /** Closes the queue; idempotent, and called by the router too in case the shard never ran. */
    @Override
    public synchronized void close() {
        if (queue != null && !queue.isClosed()) {
            queue.close();
        }
    }

    @Override
    public String roleName() {
        return "switchboard-ceiling-" + index;
    }

    @Override
    public long seq() {
        return seq;
    }

    @Override
    public long id() {
        return send.id();
    }

    @Override
    public long fromUser() {
        return send.senderUser();
    }

    @Override
    public int fromDevice() {
        return send.senderDevice();
    }

    @Override
    public EnvelopeType type() {
        return send.envelopeType(envelope);
    }

    @Override
    public long ts() {
        return nowMs;
    }

    @Override
    public DirectBuffer body() {
        return send.bodyBuffer(envelope);
    }

    @Override
    public int bodyOffset() {
        return send.bodyOffset(envelope);
    }

    @Override
    public int bodyLength() {
        return send.bodyLength(envelope);
    }

    @Override
    public DirectBuffer mediaId() {
        return send.bodyBuffer(envelope);
    }

    @Override
    public int mediaIdOffset() {
        return 0;
    }

    /** None: the loader refuses media for ceiling routing. */
    @Override
    public int mediaIdLength() {
        return 0;
    }

    @Override
    public long mediaSize() {
        return 0;
    }
}
