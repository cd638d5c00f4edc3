package io.switchboard.core.router.sharded;

import io.micrometer.core.instrument.Tags;
import io.switchboard.core.config.RouterContext;
import io.switchboard.core.journal.Journal;
import io.switchboard.core.journal.Journals;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.DeviceDirectory;
import io.switchboard.core.owner.HeldVisitor;
import io.switchboard.core.owner.MessageStore;
import io.switchboard.core.owner.Owner;
import io.switchboard.core.owner.OwnerRules;
import io.switchboard.core.owner.OwnerWiring;
import io.switchboard.core.owner.Peers;
import io.switchboard.core.owner.PushTrigger;
import io.switchboard.core.owner.Recovery;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameAddress;
import io.switchboard.core.protocol.FrameText;
import io.switchboard.core.router.FatalErrors;
import io.switchboard.core.router.IoLoop;
import io.switchboard.core.router.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sharded routing: S shard threads, each the single owner of the users that hash to it, fed through Agrona
 * many-to-one rings; one outbox ring per I/O loop carries frames back. No locks on the message path.
 *
 * <p>Order: a connection's commands enter one inbox per shard in the order they arrived, and a shard writes a
 * connection's frames into one outbox in order, so per-sender order holds end to end.
 *
 * <p>Each shard runs on its own thread ({@link AgentRunner}); tests may instead build the shards invoked by the caller
 * ({@link AgentInvoker}) and step them on threads of their own.
 */
public final class ShardedRouter implements Router {
    private static final Logger LOG = LoggerFactory.getLogger(ShardedRouter.class);
    /**
     * Group and presence tasks in flight to one shard. A task holds a group message (its body) or an event, so this
     * bounds their memory; a full mailbox makes a command that posts wait, and a task that posts defer its post
     * (see {@link ShardAgent}).
     */
    static final int MAILBOX_TASKS = 16 * 1024;

    /** How long {@link #close} waits for the shards to go quiet: a shard that failed never does. */
    private static final long QUIET_WAIT_MS = 5_000;

    private final ShardProxy[] proxies;
    private final ShardAgent[] agents;
    /** One per shard, or null when the shards are invoked by the caller. */
    private final AgentRunner[] runners;
    /** One per shard when the shards are invoked by the caller, else null. */
    private final AgentInvoker[] invokers;
    /** Each shard's mailbox, where {@link #visitHeld} posts its walk as a task. */
    private final ManyToOneConcurrentArrayQueue<Peers.PeerTask>[] mailboxes;
    /** Each shard's rings, which {@link #close} waits to see empty. */
    private final RingBuffer[] inboxes;

    private final RingBuffer[] peerInboxes;

    public ShardedRouter(
            RouterContext context,
            DeviceDirectory directory,
            MessageStore store,
            List<IoLoop> loops,
            ServerMetrics metrics,
            Journals journals,
            PushTrigger push) {
        this(context, directory, store, loops, metrics, journals, push, MAILBOX_TASKS, false);
    }

    /**
     * As the public constructor, with a mailbox of {@code mailboxTasks} (a power of two) per shard; when
     * {@code invoked}, no thread is started for the shards: {@link #invoker} steps each one, on whichever thread
     * calls it (one thread per shard at a time).
     */
    ShardedRouter(
            RouterContext context,
            DeviceDirectory directory,
            MessageStore store,
            List<IoLoop> loops,
            ServerMetrics metrics,
            Journals journals,
            PushTrigger push,
            int mailboxTasks,
            boolean invoked) {
        int shards = context.shards();
        Outbox[] outboxes = outboxes(context, loops, metrics);
        RingBuffer[] inboxes = new RingBuffer[shards];
        RingBuffer[] peerInboxes = new RingBuffer[shards];
        this.inboxes = inboxes;
        this.peerInboxes = peerInboxes;
        @SuppressWarnings("unchecked")
        ManyToOneConcurrentArrayQueue<Peers.PeerTask>[] mailboxes = new ManyToOneConcurrentArrayQueue[shards];
        this.mailboxes = mailboxes;
        proxies = new ShardProxy[shards];
        for (int i = 0; i < shards; i++) {
            mailboxes[i] = new ManyToOneConcurrentArrayQueue<>(mailboxTasks);
            inboxes[i] = ring(context.inboxBytes());
            peerInboxes[i] = ring(context.peerInboxBytes());
            proxies[i] = new ShardProxy(inboxes[i]);
            ringGauges(metrics, "inbox", ServerMetrics.SHARD_TAG, Integer.toString(i), inboxes[i]);
            ringGauges(metrics, "peer", ServerMetrics.SHARD_TAG, Integer.toString(i), peerInboxes[i]);
        }
        agents = new ShardAgent[shards];
        runners = invoked ? null : new AgentRunner[shards];
        invokers = invoked ? new AgentInvoker[shards] : null;
        Journal[] journalOf = new Journal[shards];
        List<CounterSet<ShardCounter>> allCounters = new ArrayList<>();
        OwnerRules rules = OwnerRules.from(context, journals.context(), shards);
        for (int i = 0; i < shards; i++) {
            String shard = Integer.toString(i);
            CounterSet<ShardCounter> counters = metrics.newShardCounters("shard-" + shard);
            metrics.exportShardCounters(shard, List.of(counters));
            allCounters.add(counters);
            CachedEpochClock shardClock = new CachedEpochClock();
            // The journal may read it as it opens, before the shard's first duty cycle brings it up to date.
            shardClock.update(SystemEpochClock.INSTANCE.time());
            Journal journal = journals.open("shard-" + shard, counters, shardClock::time);
            // Each duty cycle ends with the owner's endOfBatch, which writes them; the outbox completes accepted
            // records before it hands on the acks that promise them.
            journal.acknowledgeInBatches();
            journal.acceptInBatches();
            journalOf[i] = journal;
            agents[i] = new ShardAgent(
                    i,
                    inboxes[i],
                    peerInboxes[i],
                    peerInboxes,
                    mailboxes,
                    new OutboxWriter(
                            outboxes,
                            context.outboxHighBytes(),
                            context.idleStrategy().newStrategy(),
                            counters,
                            journal::completeAccepted),
                    TimeUnit.MILLISECONDS.toNanos(context.maxSendWaitMs()),
                    shardClock,
                    context.idleStrategy().newStrategy(),
                    counters,
                    metrics.enabled() ? metrics.newCommandLatency(ServerMetrics.SHARD_TAG, shard) : null,
                    (out, receipts, peers, clock) -> new Owner(
                            rules,
                            new OwnerWiring(directory, store, out, receipts, clock, counters, journal, peers, push)));
            String role = agents[i].roleName();
            // Stepped by a test, an Error goes on up to the test rather than ending its JVM.
            ErrorHandler errors = invoked ? FatalErrors.handler(role, status -> {}) : FatalErrors.handler(role);
            if (invoked) {
                invokers[i] = new AgentInvoker(errors, null, agents[i]);
            } else {
                runners[i] = new AgentRunner(context.idleStrategy().newStrategy(), errors, null, agents[i]);
            }
        }
        recover(journalOf, allCounters);
    }

    /** Every shard's state from its journal, before any shard runs: they refer to each other's group messages. */
    private void recover(Journal[] journalOf, List<CounterSet<ShardCounter>> counters) {
        Owner[] owners = new Owner[agents.length];
        for (int i = 0; i < agents.length; i++) {
            owners[i] = agents[i].owner();
        }
        for (ShardAgent agent : agents) {
            agent.recovering(true);
        }
        Recovery.run(
                agents.length == 1 ? "1 shard" : agents.length + " shards",
                () -> Owner.recover(owners, pass -> {
                    for (int i = 0; i < owners.length; i++) {
                        journalOf[i].replay(owners[i], pass);
                    }
                }),
                counters);
        // The shards' threads start after this: they see what was deferred (Thread.start orders it before them).
        for (ShardAgent agent : agents) {
            agent.recovering(false);
        }
    }

    /** One outbox per I/O loop, at the loop's index, with its gauges. */
    static Outbox[] outboxes(RouterContext context, List<IoLoop> loops, ServerMetrics metrics) {
        Outbox[] outboxes = new Outbox[loops.size()];
        for (IoLoop loop : loops) {
            Outbox outbox = new Outbox(loop, context.outboxBytes());
            outboxes[loop.index()] = outbox;
            ringGauges(metrics, "outbox", ServerMetrics.LOOP_TAG, Integer.toString(loop.index()), outbox.ring());
        }
        return outboxes;
    }

    static void ringGauges(ServerMetrics metrics, String ring, String ownerTag, String owner, RingBuffer buffer) {
        Tags tags = Tags.of("ring", ring, ownerTag, owner);
        metrics.gauge("ring.used.bytes", "bytes written to a ring and not yet read", tags, buffer::size);
        metrics.gauge("ring.capacity.bytes", "a ring's capacity", tags, buffer::capacity);
    }

    static RingBuffer ring(int capacityBytes) {
        return new ManyToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                capacityBytes + RingBufferDescriptor.TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH)));
    }

    /**
     * The shard that owns a user. Also used by shards to find a receipt's destination, and public for the router
     * benchmark, which places a sender and its recipient on the same shard or on different ones.
     */
    public static int shardOf(long user, int shards) {
        long mixed = user * 0x9E3779B97F4A7C15L;
        return (int) ((mixed >>> 32) % shards);
    }

    private ShardProxy proxy(long user) {
        return proxies[shardOf(user, proxies.length)];
    }

    /** Shard {@code shard}'s invoker, for a router built to be invoked by the caller. */
    AgentInvoker invoker(int shard) {
        return invokers[shard];
    }

    ShardAgent agent(int shard) {
        return agents[shard];
    }

    @Override
    public void start() {
        if (invokers != null) {
            for (AgentInvoker invoker : invokers) {
                invoker.start();
            }
            return;
        }
        for (AgentRunner runner : runners) {
            AgentRunner.startOnThread(runner);
        }
    }

    @Override
    public boolean open(long user, int device, long connection, boolean receiptAcks) {
        int type = receiptAcks ? CommandTypes.OPEN_WITH_RECEIPT_ACKS : CommandTypes.OPEN;
        return proxy(user).fixed(type, user, device, connection);
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

    @Override
    public boolean receiptAck(long user, int device, long rseq) {
        return proxy(user).fixed(CommandTypes.RECEIPT_ACK, user, device, rseq);
    }

    @Override
    public boolean read(long user, int device, Frame read) {
        return proxy(user).read(user, read);
    }

    @Override
    public boolean control(long user, int device, long connection, Frame frame, DirectBuffer binary, long decodedNs) {
        FrameText group = FrameAddress.groupOf(frame);
        int shard = group != null
                ? Peers.ownerOfGroup(group, proxies.length)
                : shardOf(FrameAddress.userOf(frame), proxies.length);
        return proxies[shard].control(user, device, connection, binary, decodedNs);
    }

    @Override
    public boolean removeDevice(long user, int device) {
        return proxy(user).fixed(CommandTypes.REMOVE_DEVICE, user, device, 0);
    }

    @Override
    public boolean unsubscribe(long user, long connection) {
        return proxy(user).fixed(CommandTypes.UNSUBSCRIBE, user, 0, connection);
    }

    /**
     * A task in each shard's mailbox: the shard walks its own state on its own thread, between two steps of its duty
     * cycle, so the walk sees no command half-applied and needs no lock. The caller waits for room in a full mailbox
     * (it is no shard, so no shard waits on it).
     */
    @Override
    public void visitHeld(Supplier<? extends HeldVisitor> visitors, long timeoutMs) throws InterruptedException {
        CountDownLatch walked = new CountDownLatch(mailboxes.length);
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (ManyToOneConcurrentArrayQueue<Peers.PeerTask> mailbox : mailboxes) {
            HeldVisitor visitor = visitors.get();
            Peers.PeerTask walk = owner -> {
                try {
                    owner.visitHeld(visitor);
                } catch (RuntimeException failure) {
                    failed.compareAndSet(null, failure);
                } finally {
                    walked.countDown();
                }
            };
            while (!mailbox.offer(walk)) {
                if (System.nanoTime() - deadlineNs > 0) {
                    throw new IllegalStateException("a shard's mailbox stayed full for " + timeoutMs + " ms");
                }
                Thread.sleep(1);
            }
        }
        if (!walked.await(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("the shards did not walk what they hold within " + timeoutMs + " ms");
        }
        if (failed.get() != null) {
            throw new IllegalStateException("a shard failed to walk what it holds", failed.get());
        }
    }

    /**
     * Stops the shards once what is in their rings and mailboxes is handled, or after {@link #QUIET_WAIT_MS}: the I/O
     * loops have stopped by now, but a command read before may still make a receipt for another shard, and a shard
     * that stopped first would never read it (its sender would never get it, even after a restart).
     */
    @Override
    public void close() {
        if (invokers != null) {
            CloseHelper.closeAll(invokers);
        } else {
            awaitQuiet();
            CloseHelper.closeAll(runners);
        }
    }

    /**
     * Waits until every ring and mailbox is empty at two looks a millisecond apart: a record leaves its ring only once
     * handled, and a mailbox task is handled within microseconds of leaving its queue.
     */
    private void awaitQuiet() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_WAIT_MS);
        int quiet = 0;
        while (quiet < 2 && System.nanoTime() - deadline < 0) {
            quiet = quiet() ? quiet + 1 : 0;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        if (quiet < 2) {
            // What is left is what the journal holds: acknowledged messages come back at the next start, a receipt
            // made from a command still in a ring does not.
            LOG.warn("closing with commands still in the shards' rings after {} ms: {}", QUIET_WAIT_MS, backlog());
        }
    }

    private String backlog() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < inboxes.length; i++) {
            text.append(i == 0 ? "" : ", ")
                    .append("shard ")
                    .append(i)
                    .append(" inbox ")
                    .append(inboxes[i].size())
                    .append(" B, peer ring ")
                    .append(peerInboxes[i].size())
                    .append(" B, mailbox ")
                    .append(mailboxes[i].isEmpty() ? "empty" : "not empty");
        }
        return text.toString();
    }

    private boolean quiet() {
        for (int i = 0; i < inboxes.length; i++) {
            if (inboxes[i].size() > 0 || peerInboxes[i].size() > 0 || !mailboxes[i].isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
