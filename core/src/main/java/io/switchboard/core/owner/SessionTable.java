package io.switchboard.core.owner;

import io.switchboard.core.config.Fanout;
import io.switchboard.core.config.JournalContext.Durability;
import io.switchboard.core.journal.Journal;
import io.switchboard.core.journal.JournalReplay;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SendView;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.GroupEventKind;
import io.switchboard.core.protocol.ProtocolLimits;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The session and one-to-one messaging logic for the users one owner handles (a shard, or a lock stripe): device
 * sessions, per-device queues and delivery seqs, the delivery window, de-duplication of repeated sends, and receipts.
 * Both routing variants run this same class, so that they differ only in how commands reach it and how its output
 * reaches connections.
 *
 * <p>Not thread-safe: exactly one thread at a time, the owner, calls it.
 *
 * <p>Delivery: a device with a session is sent its queued messages in seq order, at most {@code deliveryWindow} ahead
 * of the oldest one it has not acknowledged; each {@code recv} opens the window again. A new session starts again from
 * the oldest unacknowledged message, so nothing is lost to a dropped connection (at-least-once; clients de-duplicate
 * by sender device and id).
 */
public final class SessionTable implements JournalReplay {
    private static final String UNKNOWN_RECIPIENT = "no such user";
    private static final String QUEUE_FULL = "the recipient's queue is full; retry later";
    private static final String DUPLICATE_DEVICE = "two envelopes for one device";
    private static final String STORAGE_UNAVAILABLE = "the server cannot store messages right now; retry later";

    private final DeviceDirectory directory;
    private final MessageStore store;
    private final Outbound out;
    private final ReceiptRouter receipts;
    private final EpochClock clock;
    private final int deliveryWindow;
    private final int maxPendingReceipts;
    private final CounterSet<ShardCounter> counters;
    private final Journal journal;
    private final Durability durability;
    private final long retentionMs;
    private final Fanout fanout;
    private final GroupDeliveries groupDeliveries;
    private final Presence presence;
    private final GroupCounts groupCounts = new GroupCounts();

    private final Frame frame = new Frame();
    private final Peers peers;
    /** Scratch for the queue entries one group message makes here. */
    private long[] fanUsers = new long[16];

    private int[] fanDevices = new int[16];
    private long[] fanSeqs = new long[16];
    /** Group messages read back from the journal, until the owners' joint look at the end of recovery. */
    private final Map<GroupMessage, Long2ObjectHashMap<MessageRecord>> recoveredGroups = new HashMap<>();

    private final long[] seqs = new long[ProtocolLimits.MAX_ENVELOPES];
    /** Scratch: the journal cycles of the receipts one {@code receipt.ack} forgot. */
    private final IntArrayList releasedCycles = new IntArrayList();

    private final Long2ObjectHashMap<DeviceState[]> users = new Long2ObjectHashMap<>();
    /** Highest accepted id per sending device (key {@code user * 64 + device}), for de-duplication. */
    private final Long2LongHashMap lastAcceptedId = new Long2LongHashMap(0);

    private final UnsafeBuffer bodyView = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer mediaView = new UnsafeBuffer(0, 0);

    public SessionTable(
            DeviceDirectory directory,
            MessageStore store,
            Outbound out,
            ReceiptRouter receipts,
            EpochClock clock,
            int deliveryWindow,
            int maxPendingReceipts,
            CounterSet<ShardCounter> counters,
            Journal journal,
            Durability durability,
            long retentionMs,
            Fanout fanout,
            Peers peers) {
        this.directory = directory;
        this.store = store;
        this.out = out;
        this.receipts = receipts;
        this.clock = clock;
        this.deliveryWindow = deliveryWindow;
        this.maxPendingReceipts = maxPendingReceipts;
        this.counters = counters;
        this.journal = journal;
        this.durability = durability;
        this.retentionMs = retentionMs;
        this.fanout = fanout;
        this.peers = peers;
        this.groupDeliveries = new GroupDeliveries(maxPendingReceipts);
        this.presence = new Presence(out, journal, counters, this::online);
    }

    private DeviceState device(long user, int device) {
        DeviceState[] devices = users.get(user);
        if (devices == null || devices.length <= device) {
            DeviceState[] grown = new DeviceState[device + 1];
            if (devices != null) {
                System.arraycopy(devices, 0, grown, 0, devices.length);
            }
            devices = grown;
            users.put(user, devices);
        }
        DeviceState state = devices[device];
        if (state == null) {
            state = new DeviceState(store.queue(user, device));
            devices[device] = state;
        }
        return state;
    }

    /**
     * A device said hello on {@code connection}: answer {@code welcome}, replace any older session, then redeliver and
     * send the receipts it does not have. Welcome comes from here, not from the connection's thread, so that a client
     * holding it is online for everything sent to it afterwards (events, presence and typing are not queued). A
     * session with {@code receiptAcks} gets each receipt with an {@code rseq} and keeps it held until a {@code
     * receipt.ack} covers it, so that a receipt written to a connection that then drops is sent again.
     */
    public void open(long user, int device, long connection, boolean receiptAcks) {
        out.frame(
                connection,
                frame.reset(FrameType.WELCOME)
                        .user(user)
                        .device(device)
                        .ts(clock.time())
                        .receiptAcks(receiptAcks));
        boolean wasOnline = online(user);
        DeviceState state = device(user, device);
        if (state.online() && state.connection != connection) {
            out.replaced(state.connection);
            counters.increment(ShardCounter.SESSIONS_REPLACED);
        }
        counters.increment(ShardCounter.SESSIONS_OPENED);
        expire(user, device, state);
        state.connection = connection;
        state.receiptAcks = receiptAcks;
        state.cursor = state.queue.headSeq();
        pump(user, state);
        PendingReceipts pending = state.receipts;
        if (pending != null && !pending.isEmpty()) {
            if (receiptAcks) {
                state.nextRseq = pending.sendAll(out, connection, frame, state.rseqFrom(clock.time()));
            } else {
                boolean journaled = pending.anyJournaled();
                int[] cycles = pending.cycles();
                counters.add(ShardCounter.RECEIPTS_PENDING, -pending.drainTo(out, connection, frame));
                if (journaled) {
                    journal.receiptsDelivered(user, device, cycles, cycles.length);
                }
            }
        }
        if (!wasOnline) {
            presence.online(user);
        }
    }

    /**
     * The connection closed. A close of an already replaced connection changes nothing. Receipts it did not
     * acknowledge now wait for the device as those that came while it was offline do, journaled like them.
     */
    public void close(long user, int device, long connection) {
        DeviceState state = device(user, device);
        if (state.connection == connection) {
            state.connection = DeviceState.OFFLINE;
            if (state.receipts != null) {
                state.receipts.journalUnacknowledged(journal, user, device);
                if (state.receipts.isEmpty()) {
                    // An offline device holds no memory for receipts until it is owed one.
                    state.receipts = null;
                }
            }
            if (!online(user)) {
                presence.offline(user, clock.time());
            }
        }
    }

    /**
     * At shutdown: the receipts held for sessions still open (sent, not acknowledged) are journaled as a close would,
     * so that a clean restart sends them again.
     */
    public void journalHeldReceipts() {
        users.forEachLong((user, devices) -> {
            for (int device = 0; device < devices.length; device++) {
                if (devices[device] != null && devices[device].receipts != null) {
                    devices[device].receipts.journalUnacknowledged(journal, user, device);
                }
            }
        });
    }

    /**
     * The device acknowledged every receipt up to {@code rseq}: forget them. Once none of its held receipts is
     * journaled any more the journal says so, and a restart does not bring them back.
     */
    public void receiptAck(long user, int device, long rseq) {
        DeviceState state = device(user, device);
        PendingReceipts pending = state.receipts;
        if (pending == null) {
            return;
        }
        releasedCycles.clear();
        counters.add(ShardCounter.RECEIPTS_PENDING, -pending.acknowledge(rseq, releasedCycles));
        int released = releasedCycles.size();
        if (released == 0) {
            return;
        }
        if (pending.anyJournaled()) {
            for (int i = 0; i < released; i++) {
                journal.released(releasedCycles.getInt(i));
            }
        } else {
            journal.receiptsDelivered(user, device, releasedCycles.toIntArray(), released);
        }
    }

    private boolean online(long user) {
        DeviceState[] devices = users.get(user);
        if (devices != null) {
            for (DeviceState device : devices) {
                if (device != null && device.online()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A one-to-one send whose recipient this table owns. */
    public void send(SendView send) {
        long connection = send.senderConnection();
        long id = send.id();
        long recipient = send.toUser();
        long registered = directory.deviceMask(recipient);
        if (registered == 0) {
            reject(connection, ErrorCode.UNKNOWN_RECIPIENT, id, UNKNOWN_RECIPIENT, 0, 0);
            return;
        }
        long addressed = 0;
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            long bit = 1L << send.envelopeDevice(i);
            if ((addressed & bit) != 0) {
                reject(connection, ErrorCode.DEVICES, id, DUPLICATE_DEVICE, 0, bit);
                return;
            }
            addressed |= bit;
        }
        if (addressed != registered) {
            reject(connection, ErrorCode.DEVICES, id, null, registered & ~addressed, addressed & ~registered);
            return;
        }
        long sender = senderKey(send.senderUser(), send.senderDevice());
        if (id <= lastAcceptedId.get(sender)) {
            out.ack(connection, id, clock.time());
            counters.increment(ShardCounter.MESSAGES_DUPLICATE);
            return;
        }
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            if (device(recipient, send.envelopeDevice(i)).queue.isFull()) {
                reject(connection, ErrorCode.UNAVAILABLE, id, QUEUE_FULL, 0, 0);
                return;
            }
        }
        long ts = clock.time();
        boolean journaled = mustJournal(recipient, send);
        int cycle = 0;
        if (journaled) {
            for (int i = 0, n = send.envelopeCount(); i < n; i++) {
                seqs[i] = device(recipient, send.envelopeDevice(i)).queue.nextSeq();
            }
            cycle = journal.accepted(send, ts, seqs);
            if (cycle == Journal.FAILED) {
                reject(connection, ErrorCode.UNAVAILABLE, id, STORAGE_UNAVAILABLE, 0, 0);
                return;
            }
        }
        byte[] mediaId = null;
        if (send.mediaIdLength() > 0) {
            mediaId = new byte[send.mediaIdLength()];
            send.getMediaId(mediaId);
        }
        MessageRecord record = new MessageRecord(
                send.senderUser(), send.senderDevice(), id, ts, registered, mediaId, send.mediaSize());
        record.journaled(journaled);
        record.cycle(cycle);
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            device(recipient, send.envelopeDevice(i))
                    .queue
                    .append(record, send.envelopeType(i), send.bodyBuffer(i), send.bodyOffset(i), send.bodyLength(i));
        }
        lastAcceptedId.put(sender, id);
        counters.add(ShardCounter.MESSAGES_QUEUED, send.envelopeCount());
        counters.increment(ShardCounter.MESSAGES_ACCEPTED);
        out.ack(connection, id, ts);
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            pump(recipient, device(recipient, send.envelopeDevice(i)));
        }
    }

    /** {@code all}: every message; {@code offline}: only one that waits for a device that is offline now. */
    private boolean mustJournal(long recipient, SendView send) {
        if (durability == Durability.ALL) {
            return true;
        }
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            if (!device(recipient, send.envelopeDevice(i)).online()) {
                return true;
            }
        }
        return false;
    }

    private void reject(long connection, ErrorCode code, long id, String message, long missing, long extra) {
        out.error(connection, code, id, message, missing, extra);
        counters.increment(ShardCounter.MESSAGES_REJECTED);
    }

    private static long senderKey(long user, int device) {
        return user * (ProtocolLimits.MAX_DEVICE + 1) + device;
    }

    /** The device acknowledged {@code seq}: forget it, and tell the sender once every device of this user has it. */
    public void recv(long user, int device, long seq) {
        DeviceState state = device(user, device);
        QueuedMessage message = state.queue.remove(seq);
        if (message == null) {
            return;
        }
        counters.increment(ShardCounter.MESSAGES_ACKNOWLEDGED);
        counters.decrement(ShardCounter.MESSAGES_QUEUED);
        MessageRecord record = message.record();
        if (record.journaled()) {
            journal.acknowledged(user, device, seq, record.cycle());
        }
        if (record.acknowledgedBy(device)) {
            counters.increment(ShardCounter.RECEIPTS_DELIVERED);
            receipts.route(
                    record.senderUser(),
                    record.senderDevice(),
                    record.id(),
                    user,
                    ReceiptKind.DELIVERED,
                    clock.time(),
                    record.group() != null);
            memberDone(record);
        }
        pump(user, state);
    }

    /** The user read message {@code id} of the sending device: pass the read receipt on. */
    public void read(long user, long senderUser, int senderDevice, long id) {
        counters.increment(ShardCounter.RECEIPTS_READ);
        receipts.route(senderUser, senderDevice, id, user, ReceiptKind.READ, clock.time(), false);
    }

    /**
     * A receipt for a message that a device of this table's user sent: deliver it now or when the device returns. A
     * group message's receipts count toward its delivery list instead (a {@code read} names no group, so every read
     * is looked up there first).
     */
    public void receipt(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, boolean group) {
        if (group || kind == ReceiptKind.READ) {
            long sender = senderKey(senderUser, senderDevice);
            GroupDelivery delivery = groupDeliveries.find(sender, id);
            if (delivery != null) {
                int completed =
                        kind == ReceiptKind.READ ? delivery.read(recipientUser) : delivery.delivered(recipientUser);
                completed(sender, delivery, completed);
                return;
            }
            if (group) {
                // Its list was dropped past the bound, or completed: the member's part no longer matters.
                return;
            }
        }
        holdReceipt(senderUser, senderDevice, id, recipientUser, null, kind, ts);
    }

    /**
     * A receipt for a device of this table's user, about a one-to-one message ({@code group} null) or a group
     * message: written at once to an online session that does not acknowledge receipts; otherwise held, and written
     * now with an {@code rseq} to an online session that does. One held for an offline device is journaled, unless it
     * is a group's (a restart rebuilds the delivery lists instead).
     */
    private void holdReceipt(
            long user, int device, long id, long recipientUser, String group, ReceiptKind kind, long ts) {
        DeviceState state = device(user, device);
        if (state.online() && !state.receiptAcks) {
            PendingReceipts.write(out, state.connection, frame, id, recipientUser, group, kind, ts, 0);
            return;
        }
        if (state.receipts == null) {
            state.receipts = new PendingReceipts(maxPendingReceipts);
        }
        long rseq = 0;
        int cycle = Journal.FAILED;
        if (state.online()) {
            rseq = state.rseqFrom(clock.time());
            state.nextRseq = rseq + 1;
        } else if (group == null) {
            cycle = journal.receiptPending(user, device, id, recipientUser, kind, ts);
        }
        keepReceipt(state, id, recipientUser, group, kind, ts, cycle, rseq);
        if (rseq != 0) {
            PendingReceipts.write(out, state.connection, frame, id, recipientUser, group, kind, ts, rseq);
        }
    }

    private void keepReceipt(
            DeviceState state,
            long id,
            long recipientUser,
            String group,
            ReceiptKind kind,
            long ts,
            int cycle,
            long rseq) {
        if (state.receipts.add(id, recipientUser, group, kind, ts, cycle, rseq)) {
            counters.increment(ShardCounter.RECEIPTS_PENDING);
        } else {
            counters.increment(ShardCounter.RECEIPTS_DROPPED);
            if (state.receipts.droppedCycle() != Journal.FAILED) {
                journal.released(state.receipts.droppedCycle());
            }
        }
    }

    /** A group message one of this table's devices sent: keep its delivery list here, where its receipts arrive. */
    public void track(GroupMessage message) {
        track(message, member -> false);
    }

    /** As {@link #track(GroupMessage)}, for a message read back at start whose members {@code delivered} names. */
    void track(GroupMessage message, LongPredicate delivered) {
        long sender = message.senderKey();
        GroupDelivery delivery = new GroupDelivery(message);
        GroupDelivery dropped = groupDeliveries.add(sender, delivery);
        if (dropped != null) {
            counters.increment(ShardCounter.RECEIPTS_DROPPED);
        }
        int completed = delivery.gone(message.senderUser());
        for (long member : message.members()) {
            if (delivered.test(member)) {
                completed |= delivery.delivered(member);
            }
        }
        completed(sender, delivery, completed);
    }

    /** Sends the group receipts that {@code completed} names, and forgets the list once both went. */
    private void completed(long sender, GroupDelivery delivery, int completed) {
        GroupMessage message = delivery.message();
        if ((completed & GroupDelivery.DELIVERED) != 0) {
            counters.increment(ShardCounter.RECEIPTS_DELIVERED);
            groupReceipt(message, ReceiptKind.DELIVERED);
        }
        if ((completed & GroupDelivery.READ) != 0) {
            counters.increment(ShardCounter.RECEIPTS_READ);
            groupReceipt(message, ReceiptKind.READ);
        }
        if (delivery.complete()) {
            groupDeliveries.remove(sender, delivery);
        }
    }

    private void groupReceipt(GroupMessage message, ReceiptKind kind) {
        holdReceipt(message.senderUser(), message.senderDevice(), message.id(), 0, message.group(), kind, clock.time());
    }

    /**
     * A group message for those of its members that this table owns: one queue entry per member device but the
     * sending one. {@code single-copy} shares the message's one body among all of them; {@code per-member} gives each
     * device its own copy, as a server that stores a message per recipient would.
     */
    public void fanOut(GroupMessage message, long[] members) {
        GroupCopy copy = new GroupCopy(message);
        int entries = 0;
        boolean anyOffline = false;
        for (long member : members) {
            for (long left = memberDevices(message, member); left != 0; left &= left - 1) {
                int device = Long.numberOfTrailingZeros(left);
                DeviceState state = device(member, device);
                if (entries == fanUsers.length) {
                    fanUsers = Arrays.copyOf(fanUsers, 2 * entries);
                    fanDevices = Arrays.copyOf(fanDevices, 2 * entries);
                    fanSeqs = Arrays.copyOf(fanSeqs, 2 * entries);
                }
                fanUsers[entries] = member;
                fanDevices[entries] = device;
                fanSeqs[entries] = state.queue.nextSeq();
                anyOffline |= !state.online();
                entries++;
            }
        }
        int cycle = Journal.FAILED;
        if (entries > 0 && (durability == Durability.ALL || anyOffline)) {
            // Unwritten, the entries still serve this run; a restart finds them missing and fans the stored copy
            // out to these members again.
            cycle = journal.groupQueued(message, entries, fanUsers, fanDevices, fanSeqs, fanout == Fanout.PER_MEMBER);
        }
        MessageRecord record = null;
        for (int i = 0; i < entries; i++) {
            long member = fanUsers[i];
            if (i == 0 || fanUsers[i - 1] != member) {
                record = groupRecord(copy, memberDevices(message, member), cycle);
            }
            byte[] body = fanout == Fanout.SINGLE_COPY
                    ? message.body()
                    : message.body().clone();
            DeviceState state = device(member, fanDevices[i]);
            state.queue.appendShared(record, message.type(), body);
            counters.increment(ShardCounter.MESSAGES_QUEUED);
            counters.increment(ShardCounter.GROUP_FANOUT);
            pump(member, state);
        }
        if (copy.done()) {
            released(message);
        }
    }

    /** The devices of a member that get a group message: all of them, but the sending one. */
    private long memberDevices(GroupMessage message, long member) {
        long devices = directory.deviceMask(member);
        return member == message.senderUser() ? devices & ~(1L << message.senderDevice()) : devices;
    }

    private static MessageRecord groupRecord(GroupCopy copy, long devices, int cycle) {
        GroupMessage message = copy.message();
        MessageRecord record = new MessageRecord(
                message.senderUser(),
                message.senderDevice(),
                message.id(),
                message.ts(),
                devices,
                message.mediaId(),
                message.mediaSize());
        record.copy(copy);
        record.journaled(cycle != Journal.FAILED);
        record.cycle(cycle);
        copy.userQueued();
        return record;
    }

    /** A member user has a group message on every device, or lost it: the group's owner hears once all here have. */
    private void memberDone(MessageRecord record) {
        GroupCopy copy = record.copy();
        if (copy != null && copy.userDone()) {
            released(copy.message());
        }
    }

    private void released(GroupMessage message) {
        int self = peers.self();
        peers.post(message.owner(), target -> target.groups().released(message, self));
    }

    /**
     * Members left a group or were removed: the delivery lists here stop waiting for them, and the group's messages
     * still queued for them (if this table owns them) are dropped.
     */
    public void membersGone(String group, long[] members) {
        for (GroupDelivery delivery : groupDeliveries.ofGroup(group)) {
            GroupMessage message = delivery.message();
            int completed = 0;
            for (long member : members) {
                completed |= delivery.gone(member);
            }
            completed(senderKey(message.senderUser(), message.senderDevice()), delivery, completed);
        }
        for (long member : members) {
            if (peers.ownerOfUser(member) == peers.self()) {
                groupCounts.left(member);
            }
        }
        for (long member : members) {
            DeviceState[] devices = users.get(member);
            for (int device = 0; devices != null && device < devices.length; device++) {
                if (devices[device] != null) {
                    dropGroup(member, device, devices[device].queue, group);
                }
            }
        }
    }

    private void dropGroup(long user, int device, DeviceQueue queue, String group) {
        for (long seq = queue.headSeq(), next = queue.nextSeq(); seq < next; seq++) {
            QueuedMessage message = queue.get(seq);
            if (message != null && group.equals(message.record().group())) {
                queue.remove(seq);
                counters.decrement(ShardCounter.MESSAGES_QUEUED);
                gone(user, device, seq, message.record());
            }
        }
    }

    /** A queue entry went without a {@code recv} (dropped, expired): journaled so, and the group copy told. */
    private void gone(long user, int device, long seq, MessageRecord record) {
        if (record.journaled()) {
            journal.acknowledged(user, device, seq, record.cycle());
        }
        if (record.acknowledgedBy(device)) {
            memberDone(record);
        }
    }

    /**
     * Users owned here are joining a group: each below {@code limit} groups gets a place kept (counted now); the
     * others are refused. The answer goes back to the group's owner.
     */
    public void joinGroups(String group, long[] users, int limit, int groupOwner) {
        LongArrayList reserved = new LongArrayList();
        long[] refused = groupCounts.reserve(users, limit, reserved);
        long[] reservedUsers = reserved.toLongArray();
        peers.post(groupOwner, target -> target.groups().joined(group, refused, reservedUsers));
    }

    /** These users (all owned here) are in one group fewer. */
    public void leftGroups(long[] users) {
        for (long user : users) {
            groupCounts.left(user);
        }
    }

    /** At start: a member owned here is in one more group. */
    void countGroup(long user) {
        groupCounts.count(user);
    }

    /** A change of a group's members, for the online devices of those of {@code audience} that this table owns. */
    public void groupEvent(long[] audience, String group, GroupEventKind kind, long by, long[] changed) {
        frame.reset(FrameType.GROUP_EVENT).group(group).event(kind).by(by);
        for (long member : changed) {
            frame.addMember(member);
        }
        for (long user : audience) {
            toOnlineDevices(user, frame);
        }
    }

    /** Relays typing to the online devices of {@code to}; never stored. */
    public void typing(long from, long to, boolean on) {
        if (directory.deviceMask(to) == 0) {
            return;
        }
        toOnlineDevices(to, frame.reset(FrameType.TYPING).from(from, 0).on(on));
        counters.increment(ShardCounter.TYPING_RELAYED);
    }

    /** Relays typing in a group to the online devices of those members this table owns, the typist's excepted. */
    public void typing(long from, long[] members, boolean on) {
        for (long member : members) {
            if (member != from) {
                typing(from, member, on);
            }
        }
    }

    private void toOnlineDevices(long user, Frame frame) {
        DeviceState[] devices = users.get(user);
        if (devices != null) {
            for (DeviceState device : devices) {
                if (device != null && device.online()) {
                    out.frame(device.connection, frame);
                }
            }
        }
    }

    /** A connection subscribes to the presence of {@code user}: answered at once, then on every change. */
    public void subscribe(long user, long connection) {
        if (directory.deviceMask(user) == 0) {
            out.error(connection, ErrorCode.UNKNOWN_RECIPIENT, 0, UNKNOWN_RECIPIENT, 0, 0);
            return;
        }
        presence.subscribe(user, connection);
    }

    public void unsubscribe(long user, long connection) {
        presence.unsubscribe(user, connection);
    }

    /** Sends queued messages from the cursor while the window allows. */
    private void pump(long user, DeviceState state) {
        if (!state.online()) {
            return;
        }
        DeviceQueue queue = state.queue;
        long limit = Math.min(queue.nextSeq(), queue.headSeq() + deliveryWindow);
        long seq = Math.max(state.cursor, queue.headSeq());
        for (; seq < limit; seq++) {
            QueuedMessage message = queue.get(seq);
            if (message != null) {
                MessageRecord record = message.record();
                byte[] body = message.body();
                bodyView.wrap(body);
                counters.increment(ShardCounter.MESSAGES_DELIVERED);
                if (record.group() != null) {
                    out.frame(state.connection, groupMsg(seq, message));
                    continue;
                }
                out.msg(
                        state.connection,
                        seq,
                        record.id(),
                        record.senderUser(),
                        record.senderDevice(),
                        message.type(),
                        bodyView,
                        0,
                        body.length,
                        record.mediaId(),
                        record.mediaSize(),
                        record.ts());
            }
        }
        state.cursor = seq;
    }

    private Frame groupMsg(long seq, QueuedMessage message) {
        MessageRecord record = message.record();
        frame.reset(FrameType.MSG)
                .seq(seq)
                .id(record.id())
                .from(record.senderUser(), record.senderDevice())
                .group(record.group())
                .ts(record.ts())
                .addEnvelope(0, message.type(), bodyView, 0, bodyView.capacity());
        if (record.mediaId() != null) {
            mediaView.wrap(record.mediaId());
            frame.media(mediaView, 0, record.mediaId().length, record.mediaSize());
        }
        return frame;
    }

    /**
     * Drops every queued message older than the retention: counted as expired, journaled as acknowledged so that it
     * stays gone after a restart, never delivered. Run by the owner now and then, and for a device when it connects.
     */
    public void expireAll() {
        users.forEach((user, devices) -> {
            for (int device = 0; device < devices.length; device++) {
                if (devices[device] != null) {
                    expire(user, device, devices[device]);
                }
            }
        });
    }

    private void expire(long user, int device, DeviceState state) {
        long oldest = clock.time() - retentionMs;
        DeviceQueue queue = state.queue;
        for (QueuedMessage head;
                (head = queue.get(queue.headSeq())) != null && head.record().ts() < oldest; ) {
            long seq = head.seq();
            queue.remove(seq);
            counters.decrement(ShardCounter.MESSAGES_QUEUED);
            counters.increment(ShardCounter.MESSAGES_EXPIRED);
            gone(user, device, seq, head.record());
        }
    }

    /** Rebuilds this table from its journal; call once, before the first command. */
    public void recover() {
        journal.replay(this);
    }

    @Override
    public void onAccepted(SendView send, long ts, long[] seqs, int cycle) {
        long recipient = send.toUser();
        if (ts < clock.time() - retentionMs) {
            // Past retention: never delivered, as WhatsApp drops what waited too long.
            counters.add(ShardCounter.MESSAGES_EXPIRED, send.envelopeCount());
            for (int i = 0, n = send.envelopeCount(); i < n; i++) {
                journal.released(cycle);
            }
            return;
        }
        long devices = 0;
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            devices |= 1L << send.envelopeDevice(i);
        }
        byte[] mediaId = null;
        if (send.mediaIdLength() > 0) {
            mediaId = new byte[send.mediaIdLength()];
            send.getMediaId(mediaId);
        }
        MessageRecord record = new MessageRecord(
                send.senderUser(), send.senderDevice(), send.id(), ts, devices, mediaId, send.mediaSize());
        record.journaled(true);
        record.cycle(cycle);
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            device(recipient, send.envelopeDevice(i))
                    .queue
                    .restore(
                            seqs[i],
                            record,
                            send.envelopeType(i),
                            send.bodyBuffer(i),
                            send.bodyOffset(i),
                            send.bodyLength(i));
        }
        long sender = senderKey(send.senderUser(), send.senderDevice());
        lastAcceptedId.put(sender, Math.max(lastAcceptedId.get(sender), send.id()));
        counters.add(ShardCounter.MESSAGES_QUEUED, send.envelopeCount());
    }

    /** One queue entry of a group message, read back; {@code body} is its own copy, or null for the stored one. */
    void onGroupQueued(GroupMessage message, long user, int device, long seq, byte[] body, int cycle) {
        if (message.ts() < clock.time() - retentionMs) {
            counters.increment(ShardCounter.MESSAGES_EXPIRED);
            journal.released(cycle);
            return;
        }
        Long2ObjectHashMap<MessageRecord> byUser =
                recoveredGroups.computeIfAbsent(message, key -> new Long2ObjectHashMap<>());
        MessageRecord record = byUser.get(user);
        if (record == null) {
            GroupCopy copy = byUser.isEmpty()
                    ? new GroupCopy(message)
                    : byUser.values().iterator().next().copy();
            record = groupRecord(copy, 0, cycle);
            byUser.put(user, record);
        }
        record.pending(device);
        device(user, device).queue.restoreShared(seq, record, message.type(), body != null ? body : message.body());
        counters.increment(ShardCounter.MESSAGES_QUEUED);
    }

    /** This owner's share of a group message read back, or null when its fan-out never reached the journal here. */
    GroupCopy recoveredCopy(GroupMessage message) {
        Long2ObjectHashMap<MessageRecord> byUser = recoveredGroups.get(message);
        return byUser == null || byUser.isEmpty()
                ? null
                : byUser.values().iterator().next().copy();
    }

    /** Whether a member here still has a device to acknowledge a group message read back. */
    boolean pendingAt(GroupMessage message, long user) {
        Long2ObjectHashMap<MessageRecord> byUser = recoveredGroups.get(message);
        MessageRecord record = byUser == null ? null : byUser.get(user);
        return record != null && record.hasPending();
    }

    /** A journal hold ends with nothing restored (a damaged record's entry). */
    void journalReleased(int cycle) {
        journal.released(cycle);
    }

    /** The owners' joint look at the group messages read back is over. */
    void groupsRecovered() {
        recoveredGroups.clear();
    }

    @Override
    public void onLastSeen(long user, long ts) {
        presence.restore(user, ts);
    }

    @Override
    public void onAcknowledged(long user, int device, long seq) {
        QueuedMessage message = device(user, device).queue.remove(seq);
        if (message != null) {
            MessageRecord record = message.record();
            if (record.acknowledgedBy(device) && record.copy() != null) {
                // Replay tells no one: the owners' joint look at the end of recovery does.
                record.copy().userDone();
            }
            counters.decrement(ShardCounter.MESSAGES_QUEUED);
            journal.released(record.cycle());
        }
    }

    @Override
    public void onReceiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, int cycle) {
        DeviceState state = device(senderUser, senderDevice);
        if (state.receipts == null) {
            state.receipts = new PendingReceipts(maxPendingReceipts);
        }
        keepReceipt(state, id, recipientUser, null, kind, ts, cycle, 0);
    }

    @Override
    public void onReceiptsDelivered(long user, int device) {
        DeviceState state = device(user, device);
        if (state.receipts != null) {
            for (int cycle : state.receipts.cycles()) {
                journal.released(cycle);
            }
            counters.add(ShardCounter.RECEIPTS_PENDING, -state.receipts.clear());
        }
    }
}
