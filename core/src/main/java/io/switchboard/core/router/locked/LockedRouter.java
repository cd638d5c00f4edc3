package io.switchboard.core.router.locked;

import io.switchboard.core.config.RouterContext;
import io.switchboard.core.journal.Journal;
import io.switchboard.core.journal.JournalReplay;
import io.switchboard.core.journal.Journals;
import io.switchboard.core.journal.SynchronizedJournal;
import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.DeviceDirectory;
import io.switchboard.core.owner.HeldVisitor;
import io.switchboard.core.owner.MessageStore;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.owner.Owner;
import io.switchboard.core.owner.OwnerRules;
import io.switchboard.core.owner.OwnerWiring;
import io.switchboard.core.owner.Peers;
import io.switchboard.core.owner.PushTrigger;
import io.switchboard.core.owner.ReceiptRouter;
import io.switchboard.core.owner.Recovery;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameAddress;
import io.switchboard.core.protocol.FrameText;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.router.Router;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import org.agrona.DirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.SystemEpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locked routing, the textbook baseline: user state in shared tables behind striped locks, commands handled right on
 * the I/O thread that read them, and frames written straight to the recipients' channels with a flush each. It runs
 * the same {@link Owner} logic as the sharded router, so a comparison measures the threading model alone.
 *
 * <p>Never blocks the caller for anything but a lock, so it never reports back-pressure; a slow recipient is bounded
 * by the channel's outbound limit instead.
 */
public final class LockedRouter implements Router {
    private static final Logger LOG = LoggerFactory.getLogger(LockedRouter.class);
    /** Enough stripes that two I/O threads rarely meet on one lock. */
    static final int STRIPES = 64;
    /** As often as a shard drops messages past the retention. */
    private static final long HOUSEKEEPING_INTERVAL_MS = 60_000;

    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
    private final Owner[] owners = new Owner[STRIPES];
    private final ThreadLocal<DeferredReceipts> deferred = ThreadLocal.withInitial(DeferredReceipts::new);
    /** Group and presence tasks posted under one stripe's lock, run after it is released, like the receipts. */
    private final ThreadLocal<ArrayDeque<Posted>> posted = ThreadLocal.withInitial(ArrayDeque::new);

    private final ThreadLocal<FrameSendView> sendViews = ThreadLocal.withInitial(FrameSendView::new);
    private final ReceiptRouter deliverReceipt = this::deliverReceipt;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "switchboard-stripes-housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param channelWriter makes, once per I/O thread, an {@link Outbound} that writes and flushes to any connection
     */
    public LockedRouter(
            RouterContext context,
            DeviceDirectory directory,
            MessageStore store,
            Supplier<Outbound> channelWriter,
            ServerMetrics metrics,
            Journals journals,
            PushTrigger push) {
        Outbound out = new ThreadBoundOutbound(ThreadLocal.withInitial(channelWriter));
        ReceiptRouter receipts = (senderUser, senderDevice, id, recipient, kind, ts, group) ->
                deferred.get().route(senderUser, senderDevice, id, recipient, kind, ts, group);
        List<CounterSet<ShardCounter>> stripeCounters = new ArrayList<>();
        for (int i = 0; i < STRIPES; i++) {
            stripeCounters.add(metrics.newShardCounters("stripe-" + i));
        }
        // One journal for every stripe, appended under its own lock: the textbook shared log. It counts what it could
        // not write in the first stripe's counters, under its own lock: no stripe counts those (they are summed).
        Journal journal =
                new SynchronizedJournal(journals.open("stripes", stripeCounters.get(0), SystemTimeProvider.INSTANCE));
        OwnerRules rules = OwnerRules.from(context, journals.context(), STRIPES);
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
            CounterSet<ShardCounter> counters = stripeCounters.get(i);
            owners[i] = new Owner(
                    rules,
                    new OwnerWiring(
                            directory,
                            store,
                            out,
                            receipts,
                            SystemEpochClock.INSTANCE,
                            counters,
                            journal,
                            new StripePeers(i),
                            push));
        }
        // Stripes are many and interchangeable: one series per counter, summed over them.
        metrics.exportShardCounters("stripes", stripeCounters);
        StripeReplay replay = new StripeReplay();
        Recovery.run("stripes", () -> Owner.recover(owners, pass -> journal.replay(replay, pass)), stripeCounters);
        // What recovery posted between stripes (group messages released, or fanned out again).
        deliverDeferred();
    }

    private static int stripe(long user) {
        return (int) ((user * 0x9E3779B97F4A7C15L) >>> 58);
    }

    /** How one stripe reaches the others: tasks wait, per thread, until the poster's lock is released. */
    private final class StripePeers implements Peers {
        private final int stripe;

        StripePeers(int stripe) {
            this.stripe = stripe;
        }

        @Override
        public int owners() {
            return STRIPES;
        }

        @Override
        public int self() {
            return stripe;
        }

        @Override
        public int ownerOfUser(long user) {
            return stripe(user);
        }

        @Override
        public void post(int owner, PeerTask task) {
            posted.get().add(new Posted(owner, task));
        }
    }

    private record Posted(int owner, Peers.PeerTask task) {}

    /**
     * Once a minute, stripe by stripe under its lock, what a shard does in its duty cycle: drop queued messages past
     * the retention, and rewrite group states held in old journal cycles.
     */
    @Override
    public void start() {
        housekeeping.scheduleAtFixedRate(
                this::housekeeping, HOUSEKEEPING_INTERVAL_MS, HOUSEKEEPING_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Stripe by stripe, under its lock, on the caller's thread: nothing else runs that stripe's code meanwhile. */
    @Override
    public void visitHeld(Supplier<? extends HeldVisitor> visitors, long timeoutMs) {
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            locks[stripe].lock();
            try {
                owners[stripe].visitHeld(visitors.get());
            } finally {
                locks[stripe].unlock();
            }
        }
    }

    private void housekeeping() {
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            locks[stripe].lock();
            try {
                owners[stripe].housekeeping();
            } catch (RuntimeException failure) {
                // A scheduled task that throws is never run again: one stripe's failure must not end them all.
                LOG.error("housekeeping of stripe {} failed", stripe, failure);
            } finally {
                locks[stripe].unlock();
            }
            deliverDeferred();
        }
    }

    @Override
    public boolean open(long user, int device, long connection, boolean receiptAcks) {
        int stripe = stripe(user);
        locks[stripe].lock();
        try {
            owners[stripe].open(user, device, connection, receiptAcks);
        } finally {
            locks[stripe].unlock();
        }
        return true;
    }

    @Override
    public boolean close(long user, int device, long connection) {
        int stripe = stripe(user);
        locks[stripe].lock();
        try {
            owners[stripe].close(user, device, connection);
        } finally {
            locks[stripe].unlock();
        }
        return true;
    }

    @Override
    public boolean send(long user, int device, long connection, Frame send, long decodedNs) {
        int stripe = stripe(send.toUser());
        locks[stripe].lock();
        try {
            owners[stripe].send(sendViews.get().wrap(send, user, device, connection));
        } finally {
            locks[stripe].unlock();
        }
        return true;
    }

    @Override
    public boolean receiptAck(long user, int device, long rseq) {
        int stripe = stripe(user);
        locks[stripe].lock();
        try {
            owners[stripe].receiptAck(user, device, rseq);
        } finally {
            locks[stripe].unlock();
        }
        return true;
    }

    @Override
    public boolean recv(long user, int device, long seq) {
        int stripe = stripe(user);
        locks[stripe].lock();
        try {
            owners[stripe].recv(user, device, seq);
        } finally {
            locks[stripe].unlock();
        }
        deliverDeferred();
        return true;
    }

    @Override
    public boolean read(long user, int device, Frame read) {
        int stripe = stripe(user);
        LongArrayList ids = read.ids();
        locks[stripe].lock();
        try {
            for (int i = 0, n = ids.size(); i < n; i++) {
                owners[stripe].read(user, read.fromUser(), read.fromDevice(), ids.getLong(i));
            }
        } finally {
            locks[stripe].unlock();
        }
        deliverDeferred();
        return true;
    }

    @Override
    public boolean control(long user, int device, long connection, Frame frame, DirectBuffer binary, long decodedNs) {
        FrameText group = FrameAddress.groupOf(frame);
        int stripe = group != null ? Peers.ownerOfGroup(group, STRIPES) : stripe(FrameAddress.userOf(frame));
        locks[stripe].lock();
        try {
            owners[stripe].control(user, device, connection, frame);
        } finally {
            locks[stripe].unlock();
        }
        deliverDeferred();
        return true;
    }

    @Override
    public boolean removeDevice(long user, int device) {
        int stripe = stripe(user);
        locks[stripe].lock();
        try {
            owners[stripe].removeDevice(user, device);
        } finally {
            locks[stripe].unlock();
        }
        deliverDeferred();
        return true;
    }

    @Override
    public boolean unsubscribe(long user, long connection) {
        int stripe = stripe(user);
        locks[stripe].lock();
        try {
            owners[stripe].unsubscribe(user, connection);
        } finally {
            locks[stripe].unlock();
        }
        return true;
    }

    /** Runs, one lock at a time, the tasks and receipts that commands produced under another stripe's lock. */
    private void deliverDeferred() {
        ArrayDeque<Posted> tasks = posted.get();
        for (Posted next; (next = tasks.poll()) != null; ) {
            locks[next.owner()].lock();
            try {
                next.task().run(owners[next.owner()]);
            } finally {
                locks[next.owner()].unlock();
            }
        }
        deferred.get().drainTo(deliverReceipt);
    }

    private void deliverReceipt(
            long senderUser, int senderDevice, long id, long recipient, ReceiptKind kind, long ts, boolean group) {
        int stripe = stripe(senderUser);
        locks[stripe].lock();
        try {
            owners[stripe].receipt(senderUser, senderDevice, id, recipient, kind, ts, group);
        } finally {
            locks[stripe].unlock();
        }
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        for (int stripe = 0; stripe < STRIPES; stripe++) {
            locks[stripe].lock();
            try {
                owners[stripe].journalHeldReceipts();
            } finally {
                locks[stripe].unlock();
            }
        }
    }

    /** Hands each journal record to the stripe that owns its user, as the live path would. */
    private final class StripeReplay implements JournalReplay {
        @Override
        public void onAccepted(SendView send, long ts, long[] seqs, int cycle, long index) {
            owners[stripe(send.toUser())].onAccepted(send, ts, seqs, cycle, index);
        }

        @Override
        public void onAcknowledged(long user, int device, long seq) {
            owners[stripe(user)].onAcknowledged(user, device, seq);
        }

        @Override
        public void onReceiptPending(
                long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, int cycle) {
            owners[stripe(senderUser)].onReceiptPending(senderUser, senderDevice, id, recipientUser, kind, ts, cycle);
        }

        @Override
        public void onReceiptsDelivered(long user, int device) {
            owners[stripe(user)].onReceiptsDelivered(user, device);
        }

        @Override
        public void onGroupState(String group, long[] members, long[] admins, List<GroupInvite> invites, int cycle) {
            owners[Peers.ownerOfGroup(group, STRIPES)].onGroupState(group, members, admins, invites, cycle);
        }

        @Override
        public void onGroupMessage(GroupMessage message) {
            owners[message.owner()].onGroupMessage(message);
        }

        @Override
        public void onGroupReleased(int groupOwner, long senderKey, long id, int by) {
            owners[groupOwner].onGroupReleased(groupOwner, senderKey, id, by);
        }

        @Override
        public void onGroupQueued(
                int groupOwner, long senderKey, long id, long user, int device, long seq, byte[] body, int cycle) {
            owners[stripe(user)].onGroupQueued(groupOwner, senderKey, id, user, device, seq, body, cycle);
        }

        @Override
        public void onLastSeen(long user, long ts) {
            owners[stripe(user)].onLastSeen(user, ts);
        }

        @Override
        public void onUnread(long user, long senderUser, int senderDevice, long id, long ts, boolean group, int cycle) {
            owners[stripe(user)].onUnread(user, senderUser, senderDevice, id, ts, group, cycle);
        }

        @Override
        public void onRead(long user, long senderUser, int senderDevice, long id) {
            owners[stripe(user)].onRead(user, senderUser, senderDevice, id);
        }
    }
}
