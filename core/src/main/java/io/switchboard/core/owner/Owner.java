package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.journal.JournalReplay;
import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameAddress;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one owner (a shard, or a lock stripe) holds, behind the commands its router gives it: the sessions,
 * queues, receipts and presence of its users, and its groups. Each capability has its own class; this one only
 * dispatches, and replays the journal into them. Both routing variants run this same code, so that they differ only
 * in how commands reach it and how its output reaches connections.
 *
 * <p>Not thread-safe: exactly one thread at a time, the owner, calls it.
 */
public final class Owner implements JournalReplay {
    private static final Logger LOG = LoggerFactory.getLogger(Owner.class);

    private final Journal journal;
    private final DeviceStates devices;
    private final Sessions sessions;
    private final DirectMessages direct;
    private final Delivery delivery;
    private final Receipts receipts;
    private final UnreadMessages unread;
    private final Presence presence;
    private final Relay relay;
    private final GroupFanout groupFanout;
    private final Groups groups;
    private final GroupMembership groupMembership;
    private final GroupInvites groupInvites;
    private final HeldInvites heldInvites;
    private final GroupSends groupSends;
    private final GroupRecovery groupRecovery;
    private final DeviceRemoval removal;
    /** Every owner, while the journals are replayed: queue entries here may name group messages stored elsewhere. */
    private Owner[] all;

    public Owner(OwnerRules rules, OwnerWiring wiring) {
        this.journal = wiring.journal();
        this.devices = new DeviceStates(wiring.store());
        QueuedBytes queued = new QueuedBytes(wiring);
        GroupReleases releases = new GroupReleases(wiring.peers(), queued);
        this.unread = new UnreadMessages(wiring, rules);
        MessageRecords records = new MessageRecords();
        this.delivery = new Delivery(wiring, rules, devices, releases, unread, queued, records);
        this.receipts = new Receipts(wiring, rules, devices);
        this.presence = new Presence(wiring, devices::online);
        this.heldInvites = new HeldInvites(wiring, devices);
        this.sessions = new Sessions(wiring, devices, delivery, receipts, presence, heldInvites);
        this.direct = new DirectMessages(wiring, rules, devices, delivery, queued, records);
        this.relay = new Relay(wiring, devices);
        this.groupFanout = new GroupFanout(wiring, rules, devices, delivery, receipts, releases, queued);
        this.groups = new Groups(wiring.peers(), wiring.counters());
        GroupReplies replies = new GroupReplies(wiring.out());
        this.groupInvites = new GroupInvites(wiring, rules);
        this.groupMembership = new GroupMembership(wiring, rules, groups, replies, groupInvites);
        this.groupSends = new GroupSends(wiring, rules, groups, replies, queued);
        this.groupRecovery = new GroupRecovery(wiring, groups);
        this.removal = new DeviceRemoval(wiring, devices, sessions, delivery, receipts);
    }

    /** A device said hello: {@code welcome}, then what waits for it. See {@link Sessions#open}. */
    public void open(long user, int device, long connection, boolean receiptAcks) {
        sessions.open(user, device, connection, receiptAcks);
    }

    /** The connection closed; a close of an already replaced connection changes nothing. */
    public void close(long user, int device, long connection) {
        sessions.close(user, device, connection);
    }

    /** The device was removed from its account: its session, queue and held receipts go. See {@link DeviceRemoval}. */
    public void removeDevice(long user, int device) {
        removal.remove(user, device);
    }

    /** A one-to-one send whose recipient this owner holds. */
    public void send(SendView send) {
        direct.send(send);
    }

    /** The device acknowledged {@code seq}. */
    /**
     * Writes the connections of {@code user}'s devices that have a session on this owner into {@code into} (room for
     * {@link io.switchboard.core.protocol.ProtocolLimits#MAX_DEVICE} + 1); returns how many: where its messages go now.
     */
    public int sessions(long user, long[] into) {
        return devices.sessions(user, into);
    }

    public void recv(long user, int device, long seq) {
        delivery.recv(user, device, seq);
    }

    /** The device acknowledged every receipt up to {@code rseq}. */
    public void receiptAck(long user, int device, long rseq) {
        receipts.acknowledged(user, device, rseq);
    }

    /**
     * The user read message {@code id} of the sending device: when it was delivered to the user and not yet read, the
     * read receipt goes to the sender's owner. See {@link UnreadMessages#read}.
     */
    public void read(long user, long senderUser, int senderDevice, long id) {
        unread.read(user, senderUser, senderDevice, id);
    }

    /** A receipt for a message a device of this owner's user sent. See {@link Receipts#receipt}. */
    public void receipt(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, boolean group) {
        receipts.receipt(senderUser, senderDevice, id, recipientUser, kind, ts, group);
    }

    /** A group, presence or typing frame from a device of {@code user}, routed here by {@link FrameAddress}. */
    public void control(long user, int device, long connection, Frame frame) {
        switch (frame.type()) {
            case SUB -> presence.subscribe(frame.user(), connection);
            case UNSUB -> presence.unsubscribe(frame.user(), connection);
            case TYPING -> {
                if (frame.hasToGroup()) {
                    groupSends.typing(user, frame.on(), group(frame));
                } else {
                    relay.typing(user, frame.toUser(), frame.on());
                }
            }
            case SEND -> groupSends.send(user, device, connection, frame, group(frame));
            default -> {
                String id = FrameAddress.groupOf(frame).toString();
                groupMembership.command(user, connection, frame, id, groups.get(id));
            }
        }
    }

    private Group group(Frame frame) {
        return groups.get(FrameAddress.groupOf(frame).toString());
    }

    /** The connection's subscription to {@code user}'s presence ends (it closed). */
    public void unsubscribe(long user, long connection) {
        presence.unsubscribe(user, connection);
    }

    /**
     * Now and then: pushes devices whose waiting messages no push went out for; drops queued messages, held receipts
     * and unread messages past the retention and expired group invites, rewrites group states and unread messages held
     * in old journal cycles, and deletes the journal's files that nothing holds or that are past the retention. A batch
     * of work of its own: what the journal held back is written before the files are looked at ({@link #endOfBatch}).
     */
    public void housekeeping() {
        delivery.housekeeping();
        receipts.expireAll();
        groupInvites.expireAll(groups.all());
        heldInvites.expireAll();
        unread.housekeeping();
        groupMembership.refresh();
        endOfBatch();
        journal.deleteExpired();
    }

    /**
     * Tells {@code visitor} what this owner still holds for its devices: every queue entry and every receipt not yet
     * acknowledged, and the last reads it ignored after forgetting unread messages ({@link HeldVisitor}). Reads only,
     * and changes nothing; its cost is one walk over the owner's devices, queue entries, held receipts and group
     * delivery lists, with no copy of them. For the end of a run, not for the message path: it holds the owner for that
     * whole walk.
     */
    public void visitHeld(HeldVisitor visitor) {
        delivery.visitHeld(visitor);
        receipts.visitHeld(visitor);
        unread.visitIgnored(visitor);
    }

    /** The end of a batch of commands: what the journal held back is written ({@link Journal#flush()}). */
    public void endOfBatch() {
        journal.flush();
    }

    /** At shutdown: receipts held for open sessions are journaled, so that a clean restart sends them again. */
    public void journalHeldReceipts() {
        receipts.journalHeld();
    }

    GroupFanout groupFanout() {
        return groupFanout;
    }

    Receipts receipts() {
        return receipts;
    }

    Relay relay() {
        return relay;
    }

    HeldInvites heldInvites() {
        return heldInvites;
    }

    GroupMembership groupMembership() {
        return groupMembership;
    }

    GroupSends groupSends() {
        return groupSends;
    }

    /** Rebuilds this owner, the only one, from its own journal; call once, before the first command. */
    public void recover() {
        recover(new Owner[] {this}, pass -> journal.replay(this, pass));
    }

    /**
     * Rebuilds every owner's state from the journals before any takes a command: {@code replay} runs one pass of one
     * owner's journal (or, for a journal shared by all, all of them), first the groups pass for all, then the sessions
     * pass for all; then each drops what it holds for devices removed from their accounts and marks the messages its
     * users were delivered before ({@link Delivery#recoveredUnread}), the owners settle the group messages between
     * them ({@link GroupRecovery#join}), and each pushes its devices that messages wait for ({@link
     * Delivery#pushWaitingAll}).
     */
    public static void recover(Owner[] owners, PassRunner replay) {
        for (Owner owner : owners) {
            owner.all = owners;
        }
        replay.run(Journal.ReplayPass.GROUPS);
        replay.run(Journal.ReplayPass.SESSIONS);
        for (Owner owner : owners) {
            owner.removal.dropUnregistered();
            owner.delivery.recoveredUnread();
        }
        for (Owner owner : owners) {
            owner.groupRecovery.join(owners);
        }
        for (Owner owner : owners) {
            owner.groupFanout.recovered();
            owner.delivery.pushWaitingAll();
            owner.all = null;
        }
    }

    /** Runs one replay pass over the journals of the owners. */
    @FunctionalInterface
    public interface PassRunner {
        void run(Journal.ReplayPass pass);
    }

    @Override
    public void onAccepted(SendView send, long ts, long[] seqs, int cycle, long index) {
        direct.onAccepted(send, ts, seqs, cycle, index);
    }

    @Override
    public void onAcknowledged(long user, int device, long seq) {
        delivery.onAcknowledged(user, device, seq);
    }

    @Override
    public void onReceiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, int cycle) {
        receipts.onReceiptPending(senderUser, senderDevice, id, recipientUser, kind, ts, cycle);
    }

    @Override
    public void onReceiptsDelivered(long user, int device) {
        receipts.onReceiptsDelivered(user, device);
    }

    @Override
    public void onUnread(long user, long senderUser, int senderDevice, long id, long ts, boolean group, int cycle) {
        unread.onUnread(user, senderUser, senderDevice, id, ts, group, cycle);
    }

    @Override
    public void onRead(long user, long senderUser, int senderDevice, long id) {
        unread.onRead(user, senderUser, senderDevice, id);
    }

    @Override
    public void onLastSeen(long user, long ts) {
        presence.restore(user, ts);
    }

    @Override
    public void onGroupState(String group, long[] members, long[] admins, List<GroupInvite> invites, int cycle) {
        groupMembership.onGroupState(group, members, admins, invites, cycle);
    }

    @Override
    public void onGroupMessage(GroupMessage message) {
        groupSends.onGroupMessage(message);
        groupRecovery.onGroupMessage(message);
    }

    @Override
    public void onGroupReleased(int groupOwner, long senderKey, long id, int by) {
        groupRecovery.onGroupReleased(senderKey, id, by);
    }

    @Override
    public void onGroupQueued(
            int groupOwner, long senderKey, long id, long user, int device, long seq, byte[] body, int cycle) {
        GroupMessage message = groupOwner >= 0 && groupOwner < all.length
                ? all[groupOwner].groupRecovery.recoveredMessage(senderKey, id)
                : null;
        if (message == null) {
            // Its stored copy is held until every entry made of it is acknowledged, so only damage gets here.
            LOG.error(
                    "queue entry {} of user {} device {} names a group message that is not in the journal",
                    seq,
                    user,
                    device);
            journal.released(cycle);
            return;
        }
        groupFanout.onGroupQueued(message, user, device, seq, body, cycle);
    }
}
