package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LatencyRecorder;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.session.Outbound;
import io.switchboard.core.session.ReceiptRouter;
import io.switchboard.core.session.SessionTable;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * One shard: the single owner of its users' state, fed by two rings. The inbox carries commands from I/O loops; the
 * peer inbox carries receipts from other shards. Handling a peer record never writes to another shard, so a shard
 * waiting for room in a peer's inbox can keep draining its own peer inbox meanwhile, and two shards forwarding to
 * each other cannot deadlock.
 *
 * <p>Each duty cycle reads at most {@link #INBOX_LIMIT} commands, then wakes the I/O loops it wrote to.
 */
final class ShardAgent implements Agent {
    static final int INBOX_LIMIT = 1024;
    /** How often a shard drops queued messages past the retention. */
    static final long EXPIRY_INTERVAL_MS = 60_000;

    /** RECEIPT peer record: {@code senderUser:i64 id:i64 recipientUser:i64 ts:i64 senderDevice:i32 kind:i32}. */
    private static final int RECEIPT_SENDER_USER = 0;

    private static final int RECEIPT_ID = 8;
    private static final int RECEIPT_RECIPIENT = 16;
    private static final int RECEIPT_TS = 24;
    private static final int RECEIPT_SENDER_DEVICE = 32;
    private static final int RECEIPT_KIND = 36;
    private static final int RECEIPT_LENGTH = 40;

    private final int index;
    private final RingBuffer inbox;
    private final RingBuffer peerInbox;
    private final RingBuffer[] peerInboxes;
    private final OutboxWriter outboxes;
    private final CachedEpochClock clock;
    private final IdleStrategy fullWait;
    private final SessionTable table;
    private final SendCommand send = new SendCommand();
    private final MessageHandler inboxHandler = this::onCommand;
    private final MessageHandler peerHandler = this::onPeer;
    private final CounterSet<ShardCounter> counters;
    private final LatencyRecorder commandLatency;
    private long nextExpiryMs;

    ShardAgent(
            int index,
            RingBuffer inbox,
            RingBuffer peerInbox,
            RingBuffer[] peerInboxes,
            OutboxWriter outboxes,
            CachedEpochClock clock,
            IdleStrategy fullWait,
            CounterSet<ShardCounter> counters,
            LatencyRecorder commandLatencyOrNull,
            SessionTableFactory tables) {
        this.index = index;
        this.inbox = inbox;
        this.peerInbox = peerInbox;
        this.peerInboxes = peerInboxes;
        this.outboxes = outboxes;
        this.clock = clock;
        this.fullWait = fullWait;
        this.counters = counters;
        this.commandLatency = commandLatencyOrNull;
        this.table = tables.create(outboxes, this::routeReceipt, clock);
    }

    /** Builds the shard's table once its outbound and receipt routing exist. */
    @FunctionalInterface
    interface SessionTableFactory {
        SessionTable create(Outbound out, ReceiptRouter receipts, EpochClock clock);
    }

    /** Rebuilds the shard's state from its journal; before the agent runs. */
    void recover() {
        table.recover();
    }

    @Override
    public int doWork() {
        long startNs = System.nanoTime();
        clock.update(SystemEpochClock.INSTANCE.time());
        if (clock.time() >= nextExpiryMs) {
            nextExpiryMs = clock.time() + EXPIRY_INTERVAL_MS;
            table.expireAll();
        }
        int work = peerInbox.read(peerHandler, INBOX_LIMIT);
        work += inbox.read(inboxHandler, INBOX_LIMIT);
        if (work > 0) {
            outboxes.signal();
            counters.increment(ShardCounter.DUTY_CYCLES);
            counters.add(ShardCounter.WORK_ITEMS, work);
            counters.add(ShardCounter.BUSY_NANOS, System.nanoTime() - startNs);
        }
        return work;
    }

    private void onCommand(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type == CommandTypes.SEND) {
            table.send(send.wrap(buffer, index));
            if (commandLatency != null) {
                commandLatency.recordNanos(System.nanoTime() - send.decodedNs());
            }
            return;
        }
        long user = buffer.getLong(index + ShardProxy.USER);
        long second = buffer.getLong(index + ShardProxy.SECOND);
        int device = buffer.getInt(index + ShardProxy.DEVICE);
        switch (type) {
            case CommandTypes.RECV -> table.recv(user, device, second);
            case CommandTypes.OPEN -> table.open(user, device, second);
            case CommandTypes.CLOSE -> table.close(user, device, second);
            case CommandTypes.READ -> {
                int count = buffer.getInt(index + ShardProxy.READ_COUNT);
                for (int i = 0; i < count; i++) {
                    table.read(user, second, device, buffer.getLong(index + ShardProxy.READ_IDS + i * Long.BYTES));
                }
            }
            default -> throw new IllegalStateException("unknown inbox record type " + type);
        }
    }

    private void onPeer(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type != CommandTypes.RECEIPT) {
            throw new IllegalStateException("unknown peer record type " + type);
        }
        table.receipt(
                buffer.getLong(index + RECEIPT_SENDER_USER),
                buffer.getInt(index + RECEIPT_SENDER_DEVICE),
                buffer.getLong(index + RECEIPT_ID),
                buffer.getLong(index + RECEIPT_RECIPIENT),
                ReceiptKind.fromCode(buffer.getInt(index + RECEIPT_KIND)),
                buffer.getLong(index + RECEIPT_TS));
    }

    private void routeReceipt(long senderUser, int senderDevice, long id, long recipient, ReceiptKind kind, long ts) {
        int target = ShardedRouter.shardOf(senderUser, peerInboxes.length);
        if (target == index) {
            table.receipt(senderUser, senderDevice, id, recipient, kind, ts);
            return;
        }
        RingBuffer peer = peerInboxes[target];
        int claimed = peer.tryClaim(CommandTypes.RECEIPT, RECEIPT_LENGTH);
        if (claimed <= 0) {
            fullWait.reset();
            do {
                counters.increment(ShardCounter.PEER_FULL_WAITS);
                // Our own peer records never write to other shards, so draining them cannot wait on anyone.
                if (peerInbox.read(peerHandler, INBOX_LIMIT) == 0) {
                    fullWait.idle();
                }
                outboxes.signal();
                claimed = peer.tryClaim(CommandTypes.RECEIPT, RECEIPT_LENGTH);
            } while (claimed <= 0);
        }
        MutableDirectBuffer buffer = peer.buffer();
        buffer.putLong(claimed + RECEIPT_SENDER_USER, senderUser);
        buffer.putLong(claimed + RECEIPT_ID, id);
        buffer.putLong(claimed + RECEIPT_RECIPIENT, recipient);
        buffer.putLong(claimed + RECEIPT_TS, ts);
        buffer.putInt(claimed + RECEIPT_SENDER_DEVICE, senderDevice);
        buffer.putInt(claimed + RECEIPT_KIND, kind.code());
        peer.commit(claimed);
    }

    @Override
    public String roleName() {
        return "switchboard-shard-" + index;
    }
}
