package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LatencyRecorder;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.owner.Owner;
import io.switchboard.core.owner.Peers;
import io.switchboard.core.owner.ReceiptRouter;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.ArrayDeque;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayQueue;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * One shard: the single owner of its users' and groups' state, fed by two rings and a mailbox. The inbox carries
 * commands from I/O loops; the peer inbox carries receipts from other shards; the mailbox carries group and presence
 * tasks ({@link Peers.PeerTask}) from other shards (and from itself).
 *
 * <p>Waiting: a shard waits for room at another shard (its full mailbox or peer ring) only in a top-level step of its
 * duty cycle: a command from its inbox, its expiry, the posting of its deferred tasks. Below that (while it runs a
 * task, or waits) a post never waits: a task that finds the target's mailbox full, or that is posted while the shard
 * waits or while earlier posts are deferred, goes into the shard's deferred list, which it posts at the top of
 * its next duty cycle, or before its next top-level post, in order. So waits never nest, and a waiting shard always
 * drains its own mailbox (and, unless it waits inside a peer record, its peer ring): two shards waiting for room at
 * each other each make room for the other, and neither can wait inside the other's wait. Handling a peer record
 * posts nothing and routes no receipt. The deferred list holds only the follow-ups of the tasks run since the last
 * top-level step (during a wait, every task drained meanwhile); each answers for state the shard holds already
 * (places kept for joining users, group queue entries delivered or dropped, a join it completed).
 *
 * <p>Order: tasks posted to one shard run in posting order, deferred or not. A group message's delivery list reaches
 * the sender's shard through its mailbox before the message reaches any member, but the members' receipts come back
 * through the peer ring; so the mailbox is drained before each receipt is handled, and the list is always there first.
 * Before a shard posts a task or routes a receipt to another, it hands its frames' batches to the outboxes ({@link
 * OutboxWriter#publish}): whatever the other shard writes as a result reaches a connection after them.
 *
 * <p>Each duty cycle reads at most {@link #INBOX_LIMIT} commands, then wakes the I/O loops it wrote to.
 */
final class ShardAgent implements Agent, Peers {
    static final int INBOX_LIMIT = 1024;
    /** How often a shard drops queued messages past the retention. */
    static final long EXPIRY_INTERVAL_MS = 60_000;

    private final int index;
    private final RingBuffer inbox;
    private final RingBuffer peerInbox;
    private final RingBuffer[] peerInboxes;
    private final ManyToOneConcurrentArrayQueue<PeerTask>[] mailboxes;
    private final ManyToOneConcurrentArrayQueue<PeerTask> mailbox;
    private final OutboxWriter outboxes;
    private final CachedEpochClock clock;
    private final IdleStrategy fullWait;
    private final Owner owner;
    private final InboxAdapter inboxAdapter;
    private final CommandFailures failures;
    private final MessageHandler peerHandler = this::onPeer;
    private final CounterSet<ShardCounter> counters;
    /**
     * The posts deferred below a top-level step, oldest first: their targets and their tasks, two queues kept in step.
     * Array queues that grow and are reused, so deferring allocates only when the list is longer than ever before.
     */
    private final IntArrayQueue deferredTargets = new IntArrayQueue();

    private final ArrayDeque<PeerTask> deferredTasks = new ArrayDeque<>();
    private long nextExpiryMs;
    /** Set while a peer record is handled: its peer ring is not read again from within it (see {@link #waitForPeer}). */
    private boolean handlingPeer;
    /** Set while the shard runs a task: a post then never waits. Tasks do not nest. */
    private boolean inTask;
    /** Set while the shard waits for room at another shard: a post then never waits. Waits do not nest. */
    private boolean waiting;
    /**
     * Set while the router replays the journals on its own thread, before any shard runs: nobody would make room for a
     * post that waited, so posts are deferred to the shard's first duty cycle.
     */
    private boolean recovering;

    ShardAgent(
            int index,
            RingBuffer inbox,
            RingBuffer peerInbox,
            RingBuffer[] peerInboxes,
            ManyToOneConcurrentArrayQueue<PeerTask>[] mailboxes,
            OutboxWriter outboxes,
            long maxSendWaitNs,
            CachedEpochClock clock,
            IdleStrategy fullWait,
            CounterSet<ShardCounter> counters,
            LatencyRecorder commandLatencyOrNull,
            OwnerFactory owners) {
        this.index = index;
        this.inbox = inbox;
        this.peerInbox = peerInbox;
        this.peerInboxes = peerInboxes;
        this.mailboxes = mailboxes;
        this.mailbox = mailboxes[index];
        this.outboxes = outboxes;
        this.clock = clock;
        this.fullWait = fullWait;
        this.counters = counters;
        // The journal's replay reads the clock before the first duty cycle: the retention, and the time of receipts
        // held at recovery. At 0 nothing replayed would expire, and those receipts would expire at the first one.
        clock.update(SystemEpochClock.INSTANCE.time());
        this.owner = owners.create(outboxes, this::routeReceipt, this, clock);
        this.failures = new CommandFailures(roleName(), outboxes, counters);
        this.inboxAdapter = new InboxAdapter(
                owner, failures, new Admission(outboxes, owner, maxSendWaitNs, counters), commandLatencyOrNull);
    }

    /** Builds the shard's state once its outbound, receipt routing and peers exist. */
    @FunctionalInterface
    interface OwnerFactory {
        Owner create(Outbound out, ReceiptRouter receipts, Peers peers, EpochClock clock);
    }

    Owner owner() {
        return owner;
    }

    @Override
    public int doWork() {
        long startNs = System.nanoTime();
        inboxAdapter.cycleStarted(startNs);
        clock.update(SystemEpochClock.INSTANCE.time());
        int work = postDeferred();
        if (clock.time() >= nextExpiryMs) {
            nextExpiryMs = clock.time() + EXPIRY_INTERVAL_MS;
            owner.housekeeping();
        }
        work += drainMailbox();
        work += peerInbox.read(peerHandler, INBOX_LIMIT);
        work += inbox.read(inboxAdapter, INBOX_LIMIT);
        if (work > 0) {
            owner.endOfBatch();
            outboxes.signal();
            counters.increment(ShardCounter.DUTY_CYCLES);
            counters.add(ShardCounter.WORK_ITEMS, work);
            counters.add(ShardCounter.BUSY_NANOS, System.nanoTime() - startNs);
        } else {
            // Housekeeping writes frames in a cycle that may count no work: they wait in their batches until handed.
            outboxes.signal();
        }
        return work;
    }

    private void onPeer(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type != CommandTypes.RECEIPT) {
            throw new IllegalStateException("unknown peer record type " + type);
        }
        handlingPeer = true;
        try {
            drainMailbox();
            int kind = buffer.getInt(index + PeerDescriptor.KIND);
            owner.receipt(
                    buffer.getLong(index + PeerDescriptor.SENDER_USER),
                    buffer.getInt(index + PeerDescriptor.SENDER_DEVICE),
                    buffer.getLong(index + PeerDescriptor.ID),
                    buffer.getLong(index + PeerDescriptor.RECIPIENT),
                    ReceiptKind.fromCode(kind & ~PeerDescriptor.GROUP_RECEIPT),
                    buffer.getLong(index + PeerDescriptor.TS),
                    (kind & PeerDescriptor.GROUP_RECEIPT) != 0);
        } catch (RuntimeException failure) {
            failures.failed("a receipt from another shard", failure, 0, 0);
        } finally {
            handlingPeer = false;
        }
    }

    private int drainMailbox() {
        int tasks = 0;
        for (PeerTask task; (task = mailbox.poll()) != null; tasks++) {
            run(task);
        }
        return tasks;
    }

    private void run(PeerTask task) {
        inTask = true;
        try {
            task.run(owner);
        } catch (RuntimeException failure) {
            failures.failed("a task from another shard", failure, 0, 0);
        } finally {
            inTask = false;
        }
    }

    @Override
    public int self() {
        return index;
    }

    @Override
    public int owners() {
        return mailboxes.length;
    }

    @Override
    public int ownerOfUser(long user) {
        return ShardedRouter.shardOf(user, mailboxes.length);
    }

    /**
     * At top level: posts what is deferred, then this task, waiting for room if need be. Below it (in a task, or in a
     * wait): posts at once if the target has room and nothing is deferred or waited for, else defers; never waits.
     */
    @Override
    public void post(int target, PeerTask task) {
        outboxes.publish();
        if (inTask || waiting || recovering) {
            // Not waiting for this one keeps the waits from nesting; deferring every later post keeps the order.
            if (waiting || !deferredTasks.isEmpty() || !mailboxes[target].offer(task)) {
                deferredTargets.addInt(target);
                deferredTasks.add(task);
            }
            return;
        }
        postDeferred();
        postNow(target, task);
    }

    /** Brackets the journal replay, which runs on the router's thread before the shard's first duty cycle. */
    void recovering(boolean recovering) {
        this.recovering = recovering;
    }

    /** At top level: makes the deferred posts in order, and those deferred while it waits for room for them. */
    private int postDeferred() {
        int posted = 0;
        while (!deferredTasks.isEmpty()) {
            postNow(deferredTargets.removeInt(), deferredTasks.remove());
            posted++;
        }
        return posted;
    }

    /**
     * At top level only: the one place, with {@link #routeReceipt}, where a shard waits for room. A task to itself
     * runs after the current command, in posting order, so that what the command wrote (a group message's ack) is
     * signalled to its I/O loop before the work it posted (the fan-out) runs.
     */
    private void postNow(int target, PeerTask task) {
        ManyToOneConcurrentArrayQueue<PeerTask> to = mailboxes[target];
        if (to.offer(task)) {
            return;
        }
        beginWait();
        try {
            if (target == index) {
                // Nobody else makes room in its own mailbox: it runs the oldest tasks there (it is their only reader,
                // so a full mailbox stays non-empty) until this one fits; what they post is deferred behind it.
                do {
                    run(mailbox.poll());
                } while (!to.offer(task));
            } else {
                do {
                    waitForPeer();
                } while (!to.offer(task));
            }
        } finally {
            waiting = false;
        }
    }

    private void beginWait() {
        if (inTask || waiting || recovering) {
            throw new IllegalStateException("shard " + index + " may wait for room only in a top-level step");
        }
        waiting = true;
        fullWait.reset();
    }

    /** One round of waiting for room at another shard. */
    private void waitForPeer() {
        counters.increment(ShardCounter.PEER_FULL_WAITS);
        // What runs here posts nothing that waits (it is deferred), so this wait is the only one: draining cannot
        // deadlock. The peer ring is not read again from within one of its own records: its reads do not nest.
        int drained = drainMailbox();
        if (!handlingPeer) {
            drained += peerInbox.read(peerHandler, INBOX_LIMIT);
        }
        if (drained == 0) {
            fullWait.idle();
            ClosingWait.stopIfClosing("another shard's peer inbox or mailbox, from shard ", index);
        }
        outboxes.signal();
    }

    private void routeReceipt(
            long senderUser, int senderDevice, long id, long recipient, ReceiptKind kind, long ts, boolean group) {
        int target = ShardedRouter.shardOf(senderUser, peerInboxes.length);
        if (target == index) {
            owner.receipt(senderUser, senderDevice, id, recipient, kind, ts, group);
            return;
        }
        outboxes.publish();
        RingBuffer peer = peerInboxes[target];
        int claimed = peer.tryClaim(CommandTypes.RECEIPT, PeerDescriptor.RECEIPT_LENGTH);
        if (claimed <= 0) {
            // Receipts are routed by commands only (recv, read), never by a task or a peer record: a top-level step.
            beginWait();
            try {
                do {
                    waitForPeer();
                    claimed = peer.tryClaim(CommandTypes.RECEIPT, PeerDescriptor.RECEIPT_LENGTH);
                } while (claimed <= 0);
            } finally {
                waiting = false;
            }
        }
        MutableDirectBuffer buffer = peer.buffer();
        buffer.putLong(claimed + PeerDescriptor.SENDER_USER, senderUser);
        buffer.putLong(claimed + PeerDescriptor.ID, id);
        buffer.putLong(claimed + PeerDescriptor.RECIPIENT, recipient);
        buffer.putLong(claimed + PeerDescriptor.TS, ts);
        buffer.putInt(claimed + PeerDescriptor.SENDER_DEVICE, senderDevice);
        buffer.putInt(claimed + PeerDescriptor.KIND, group ? kind.code() | PeerDescriptor.GROUP_RECEIPT : kind.code());
        peer.commit(claimed);
    }

    /** The runner stopped this agent: journal what only memory held (no ring is read any more). */
    @Override
    public void onClose() {
        owner.journalHeldReceipts();
    }

    @Override
    public String roleName() {
        return "switchboard-shard-" + index;
    }
}
