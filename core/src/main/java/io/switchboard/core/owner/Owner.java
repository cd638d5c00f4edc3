package io.switchboard.core.owner;

import io.switchboard.core.config.JournalContext;
import io.switchboard.core.config.RouterContext;
import io.switchboard.core.journal.Journal;
import io.switchboard.core.journal.JournalReplay;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;
import org.agrona.concurrent.EpochClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one owner (a shard, or a lock stripe) holds: the sessions, queues and presence of its users, and its
 * groups. It takes the frames that are not one-to-one traffic: group requests, group sends, presence and typing.
 */
public final class Owner implements JournalReplay {
    private static final Logger LOG = LoggerFactory.getLogger(Owner.class);

    private final SessionTable sessions;
    private final GroupTable groups;
    /** Every owner, while the journals are replayed: queue entries here may name group messages stored elsewhere. */
    private Owner[] all;

    public Owner(SessionTable sessions, GroupTable groups) {
        this.sessions = sessions;
        this.groups = groups;
    }

    /** An owner with its session and group tables, set up from the router's and the journal's settings. */
    public static Owner create(
            RouterContext router,
            JournalContext journaling,
            DeviceDirectory directory,
            MessageStore store,
            Outbound out,
            ReceiptRouter receipts,
            EpochClock clock,
            CounterSet<ShardCounter> counters,
            Journal journal,
            Peers peers) {
        return new Owner(
                new SessionTable(
                        directory,
                        store,
                        out,
                        receipts,
                        clock,
                        router.deliveryWindow(),
                        router.maxQueuedPerDevice(),
                        counters,
                        journal,
                        journaling.durability(),
                        journaling.retentionMs(),
                        router.fanout(),
                        peers),
                new GroupTable(
                        directory,
                        out,
                        peers,
                        clock,
                        counters,
                        router.maxGroupMembers(),
                        router.maxGroupsPerUser(),
                        journal));
    }

    public SessionTable sessions() {
        return sessions;
    }

    public GroupTable groups() {
        return groups;
    }

    /**
     * Rebuilds every owner's state from the journals before any takes a command: {@code replay} runs one pass of one
     * owner's journal (or, for a journal shared by all, all of them), first the groups pass for all, then the sessions
     * pass for all; then the owners settle the group messages between them ({@link GroupTable#join}).
     */
    public static void recover(Owner[] owners, PassRunner replay) {
        for (Owner owner : owners) {
            owner.all = owners;
        }
        replay.run(Journal.ReplayPass.GROUPS);
        replay.run(Journal.ReplayPass.SESSIONS);
        for (Owner owner : owners) {
            owner.groups.join(owners);
        }
        for (Owner owner : owners) {
            owner.sessions.groupsRecovered();
            owner.all = null;
        }
    }

    /** Runs one replay pass over the journals of the owners. */
    @FunctionalInterface
    public interface PassRunner {
        void run(Journal.ReplayPass pass);
    }

    @Override
    public void onAccepted(SendView send, long ts, long[] seqs, int cycle) {
        sessions.onAccepted(send, ts, seqs, cycle);
    }

    @Override
    public void onAcknowledged(long user, int device, long seq) {
        sessions.onAcknowledged(user, device, seq);
    }

    @Override
    public void onReceiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, int cycle) {
        sessions.onReceiptPending(senderUser, senderDevice, id, recipientUser, kind, ts, cycle);
    }

    @Override
    public void onReceiptsDelivered(long user, int device) {
        sessions.onReceiptsDelivered(user, device);
    }

    @Override
    public void onLastSeen(long user, long ts) {
        sessions.onLastSeen(user, ts);
    }

    @Override
    public void onGroupState(String group, long[] members, long[] admins, int cycle) {
        groups.onGroupState(group, members, admins, cycle);
    }

    @Override
    public void onGroupMessage(GroupMessage message) {
        groups.onGroupMessage(message);
    }

    @Override
    public void onGroupReleased(int groupOwner, long senderKey, long id, int by) {
        groups.onGroupReleased(senderKey, id, by);
    }

    @Override
    public void onGroupQueued(
            int groupOwner, long senderKey, long id, long user, int device, long seq, byte[] body, int cycle) {
        GroupMessage message = groupOwner >= 0 && groupOwner < all.length
                ? all[groupOwner].groups.recoveredMessage(senderKey, id)
                : null;
        if (message == null) {
            // Its stored copy is held until every entry made of it is acknowledged, so only damage gets here.
            LOG.error(
                    "queue entry {} of user {} device {} names a group message that is not in the journal",
                    seq,
                    user,
                    device);
            sessions.journalReleased(cycle);
            return;
        }
        sessions.onGroupQueued(message, user, device, seq, body, cycle);
    }

    /** A group, presence or typing frame from a device of {@code user}, routed here by {@link #groupOf}/{@link #userOf}. */
    public void control(long user, int device, long connection, Frame frame) {
        switch (frame.type()) {
            case SUB -> sessions.subscribe(frame.user(), connection);
            case UNSUB -> sessions.unsubscribe(frame.user(), connection);
            case TYPING -> {
                if (frame.hasToGroup()) {
                    groups.command(user, device, connection, frame);
                } else {
                    sessions.typing(user, frame.toUser(), frame.on());
                }
            }
            default -> groups.command(user, device, connection, frame);
        }
    }
}
