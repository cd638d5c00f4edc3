package io.switchboard.core.router.sharded;

import io.switchboard.core.config.RouterContext;
import io.switchboard.core.journal.Journals;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.HeldVisitor;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.router.FatalErrors;
import io.switchboard.core.router.IoLoop;
import io.switchboard.core.router.Router;
import java.util.List;
import java.util.function.Supplier;
import org.agrona.BitUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Ceiling routing ({@code router.routing: ceiling}): the most this machine can do for the simulator's direct clients
 * with one journal append per message, measured beside the real routers in the same run. The same inbox rings, shard
 * threads and outbox rings as {@link ShardedRouter}, with none of its server logic: each shard appends every send once
 * to a bare Chronicle queue ({@link CeilingShard}), acks it and hands it to the recipient's outbox, and turns the
 * recipient's {@code recv} into the sender's {@code delivered} receipt. No device queues, unread lists, held receipts,
 * device-mask checks, groups, presence or reads: commands those would need are refused loudly. The simulator's loader
 * refuses the scenarios that would send them.
 *
 * <p>A send goes to the shard of its recipient, as in sharded routing, and so does the recipient's {@code recv}: the
 * shard that delivered a message is the one that makes its receipt, with no hop between shards.
 */
public final class CeilingRouter implements Router {
    /** The smallest inbox record a {@code recv} takes: 20 bytes and the ring's 8-byte header, aligned to 8. */
    private static final int RECV_RECORD_BYTES = 32;
    /** The smallest outbox {@code msg} record: its fixed fields and the ring's header. */
    private static final int MSG_RECORD_BYTES = MsgRecord.MEDIA_ID + 8;

    private final ShardProxy[] proxies;
    private final CeilingShard[] shards;
    private final AgentRunner[] runners;

    public CeilingRouter(RouterContext context, List<IoLoop> loops, ServerMetrics metrics, Journals journals) {
        Outbox[] outboxes = ShardedRouter.outboxes(context, loops, metrics);
        int count = context.shards();
        proxies = new ShardProxy[count];
        shards = new CeilingShard[count];
        runners = new AgentRunner[count];
        int inFlight = inFlightBound(context, loops.size());
        for (int i = 0; i < count; i++) {
            String shard = Integer.toString(i);
            RingBuffer inbox = ShardedRouter.ring(context.inboxBytes());
            ShardedRouter.ringGauges(metrics, "inbox", ServerMetrics.SHARD_TAG, shard, inbox);
            proxies[i] = new ShardProxy(inbox);
            CounterSet<ShardCounter> counters = metrics.newShardCounters("shard-" + shard);
            metrics.exportShardCounters(shard, List.of(counters));
            shards[i] = new CeilingShard(
                    i,
                    inbox,
                    new OutboxWriter(
                            outboxes,
                            context.outboxHighBytes(),
                            context.idleStrategy().newStrategy(),
                            counters,
                            // Its bare appends are complete as they are made.
                            () -> {}),
                    counters,
                    inFlight,
                    journals.directory("shard-" + shard),
                    journals.context());
            runners[i] = new AgentRunner(
                    context.idleStrategy().newStrategy(), FatalErrors.handler(shards[i].roleName()), null, shards[i]);
        }
    }

    /**
     * Deliveries a shard may have made whose {@code recv} it has not read yet, at most: the {@code msg} records that
     * fill every outbox and the {@code recv}s that fill its inbox, rounded up to a power of two. A delivery past it
     * would overwrite the oldest one's place, whose receipt is then never sent (counted as {@code receipts.dropped},
     * and missed by the oracle), so the bound is chosen above what the rings can hold.
     */
    static int inFlightBound(RouterContext context, int loops) {
        long bound = (long) context.inboxBytes() / RECV_RECORD_BYTES
                + (long) loops * context.outboxBytes() / MSG_RECORD_BYTES;
        return BitUtil.findNextPositivePowerOfTwo((int) Math.min(bound, 1 << 30));
    }

    private ShardProxy proxy(long user) {
        return proxies[ShardedRouter.shardOf(user, proxies.length)];
    }

    @Override
    public void start() {
        for (AgentRunner runner : runners) {
            AgentRunner.startOnThread(runner);
        }
    }

    @Override
    public boolean open(long user, int device, long connection, boolean receiptAcks) {
        return proxy(user).fixed(CommandTypes.OPEN, user, device, connection);
    }

    @Override
    public boolean close(long user, int device, long connection) {
        return proxy(user).fixed(CommandTypes.CLOSE, user, device, connection);
    }

    @Override
    public boolean send(long user, int device, long connection, Frame send, long decodedNs) {
        return proxy(send.toUser()).send(user, device, connection, send, decodedNs);
    }

    @Override
    public boolean recv(long user, int device, long seq) {
        return proxy(user).fixed(CommandTypes.RECV, user, device, seq);
    }

    /** Nothing to do: receipts go out unnumbered ({@code rseq} 0), so a device has none to acknowledge. */
    @Override
    public boolean receiptAck(long user, int device, long rseq) {
        return true;
    }

    @Override
    public boolean read(long user, int device, Frame read) {
        throw unsupported("read");
    }

    @Override
    public boolean control(long user, int device, long connection, Frame frame, DirectBuffer binary, long decodedNs) {
        throw unsupported("'" + frame.type().wireName() + "'");
    }

    @Override
    public boolean removeDevice(long user, int device) {
        throw unsupported("device removal");
    }

    /** Nothing to cancel: ceiling routing keeps no presence subscriptions. */
    @Override
    public boolean unsubscribe(long user, long connection) {
        return true;
    }

    /** Nothing is held: a message not yet acknowledged by its {@code recv} lives in the rings and the journal only. */
    @Override
    public void visitHeld(Supplier<? extends HeldVisitor> visitors, long timeoutMs) {}

    @Override
    public void close() {
        CloseHelper.closeAll(runners);
        // A runner that never started never ran its agent's onClose.
        CloseHelper.closeAll(shards);
    }

    private static UnsupportedOperationException unsupported(String command) {
        return new UnsupportedOperationException("router.routing ceiling takes one-to-one sends and recvs only, not "
                + command + ": it measures the ceiling of the direct transport, not a server");
    }
}
