package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LatencyRecorder;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.owner.Owner;
import io.switchboard.core.owner.Peers;
import io.switchboard.core.owner.ReceiptRouter;
import io.switchboard.core.protocol.ReceiptKind;
import org.agrona.MutableDirectBuffer;
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
 * tasks ({@link Peers.PeerTask}) from other shards. Handling a peer record or a task never writes to another shard,
 * so a shard waiting for room at a peer can keep draining its own peer inbox and mailbox meanwhile, and two shards
 * forwarding to each other cannot deadlock.
 *
 * <p>Order: a group message's delivery list reaches the sender's shard through its mailbox before the message reaches
 * any member, but the members' receipts come back through the peer ring; so the mailbox is drained before each
 * receipt is handled, and the list is always there first.
 *
 * <p>Each duty cycle reads at most {@link #INBOX_LIMIT} commands, then wakes the I/O loops it wrote to.
 */
final class ShardAgent implements Agent, Peers {
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
    /** Set in a RECEIPT record's kind: the receipt is a member's part of a group message's delivery list. */
    private static final int GROUP_RECEIPT = 0x100;

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
    private final MessageHandler peerHandler = this::onPeer;
    private final CounterSet<ShardCounter> counters;
    private long nextExpiryMs;
    /** Set while a peer record is handled (a task it runs may wait to post): see {@link #waitForPeer}. */
    private boolean handlingPeer;

    ShardAgent(
            int index,
            RingBuffer inbox,
            RingBuffer peerInbox,
            RingBuffer[] peerInboxes,
            ManyToOneConcurrentArrayQueue<PeerTask>[] mailboxes,
            OutboxWriter outboxes,
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
        this.owner = owners.create(outboxes, this::routeReceipt, this, clock);
        this.inboxAdapter = new InboxAdapter(owner, commandLatencyOrNull);
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
        clock.update(SystemEpochClock.INSTANCE.time());
        if (clock.time() >= nextExpiryMs) {
            nextExpiryMs = clock.time() + EXPIRY_INTERVAL_MS;
            owner.housekeeping();
        }
        int work = drainMailbox();
        work += peerInbox.read(peerHandler, INBOX_LIMIT);
        work += inbox.read(inboxAdapter, INBOX_LIMIT);
        if (work > 0) {
            outboxes.signal();
            counters.increment(ShardCounter.DUTY_CYCLES);
            counters.add(ShardCounter.WORK_ITEMS, work);
            counters.add(ShardCounter.BUSY_NANOS, System.nanoTime() - startNs);
        }
        return work;
    }

    private void onPeer(int type, MutableDirectBuffer buffer, int index, int length) {
        if (type != CommandTypes.RECEIPT) {
            throw new IllegalStateException("unknown peer record type " + type);
        }
        handlingPeer = true;
        drainMailbox();
        int kind = buffer.getInt(index + RECEIPT_KIND);
        owner.receipt(
                buffer.getLong(index + RECEIPT_SENDER_USER),
                buffer.getInt(index + RECEIPT_SENDER_DEVICE),
                buffer.getLong(index + RECEIPT_ID),
                buffer.getLong(index + RECEIPT_RECIPIENT),
                ReceiptKind.fromCode(kind & ~GROUP_RECEIPT),
                buffer.getLong(index + RECEIPT_TS),
                (kind & GROUP_RECEIPT) != 0);
        handlingPeer = false;
    }

    private int drainMailbox() {
        int tasks = 0;
        for (PeerTask task; (task = mailbox.poll()) != null; tasks++) {
            task.run(owner);
        }
        return tasks;
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

    @Override
    public void post(int target, PeerTask task) {
        if (target == index) {
            // After this duty cycle, in posting order, so that what the command wrote (a group message's ack) is
            // signalled to its I/O loop before the work it posted (the fan-out) runs. A shard cannot wait for room
            // in its own mailbox: when it is full, the tasks in it run first, then this one, so the order holds.
            if (!mailbox.offer(task)) {
                drainMailbox();
                task.run(owner);
            }
            return;
        }
        if (!mailboxes[target].offer(task)) {
            fullWait.reset();
            do {
                waitForPeer();
            } while (!mailboxes[target].offer(task));
        }
    }

    /** One round of waiting for room at another shard. */
    private void waitForPeer() {
        counters.increment(ShardCounter.PEER_FULL_WAITS);
        // Our own peer records and tasks never wait on another shard for long (a task may post, but only waits while
        // draining its own mailbox), so draining them cannot deadlock. The peer ring is not read again from within
        // one of its own records: its reads do not nest.
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
        RingBuffer peer = peerInboxes[target];
        int claimed = peer.tryClaim(CommandTypes.RECEIPT, RECEIPT_LENGTH);
        if (claimed <= 0) {
            fullWait.reset();
            do {
                waitForPeer();
                claimed = peer.tryClaim(CommandTypes.RECEIPT, RECEIPT_LENGTH);
            } while (claimed <= 0);
        }
        MutableDirectBuffer buffer = peer.buffer();
        buffer.putLong(claimed + RECEIPT_SENDER_USER, senderUser);
        buffer.putLong(claimed + RECEIPT_ID, id);
        buffer.putLong(claimed + RECEIPT_RECIPIENT, recipient);
        buffer.putLong(claimed + RECEIPT_TS, ts);
        buffer.putInt(claimed + RECEIPT_SENDER_DEVICE, senderDevice);
        buffer.putInt(claimed + RECEIPT_KIND, group ? kind.code() | GROUP_RECEIPT : kind.code());
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
