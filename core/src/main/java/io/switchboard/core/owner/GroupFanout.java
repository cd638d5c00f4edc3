package io.switchboard.core.owner;

import io.switchboard.core.config.Fanout;
import io.switchboard.core.config.JournalContext.Durability;
import io.switchboard.core.journal.Journal;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.EpochClock;

/**
 * The members' side of groups, for the members this owner holds: group messages queued for their devices, each
 * member's count of groups, and what a member who goes leaves behind. Owner thread only.
 */
final class GroupFanout {
    /** The journal index of an entry whose body is the stored copy's, kept in the group owner's journal. */
    static final long STORED_COPY = -1;

    private final DeviceStates devices;
    private final Delivery delivery;
    private final Receipts receipts;
    private final GroupReleases releases;
    private final QueuedBytes queued;
    private final DeviceDirectory directory;
    private final Peers peers;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    private final Journal journal;
    private final Durability durability;
    private final Fanout fanout;
    private final long retentionMs;
    private final GroupCounts groupCounts = new GroupCounts();
    /** Scratch for the queue entries one group message makes here. */
    private long[] fanUsers = new long[16];

    private int[] fanDevices = new int[16];
    private long[] fanSeqs = new long[16];
    /** Group messages read back from the journal, until the owners' joint look at the end of recovery. */
    private final Map<GroupMessage, Long2ObjectHashMap<MessageRecord>> recoveredGroups = new HashMap<>();

    GroupFanout(
            OwnerWiring wiring,
            OwnerRules rules,
            DeviceStates devices,
            Delivery delivery,
            Receipts receipts,
            GroupReleases releases,
            QueuedBytes queued) {
        this.devices = devices;
        this.delivery = delivery;
        this.receipts = receipts;
        this.releases = releases;
        this.queued = queued;
        this.directory = wiring.directory();
        this.peers = wiring.peers();
        this.clock = wiring.clock();
        this.counters = wiring.counters();
        this.journal = wiring.journal();
        this.durability = rules.durability();
        this.fanout = rules.fanout();
        this.retentionMs = rules.retentionMs();
    }

    /**
     * A group message for those of its members that this owner holds: one queue entry per member device but the
     * sending one. {@code single-copy} shares the message's one body among all of them; {@code per-member} gives each
     * device its own copy, as a server that stores a message per recipient would. The entries are made even past
     * their queues' bounds, since the group's owner acknowledged the message already; it refused it instead if a
     * queue was published full then, and took {@code reservedBytes} from the server's budget for what it expected
     * here ({@link #bytesFor}), which is now set right with what was made.
     */
    void fanOut(GroupMessage message, long[] members, long reservedBytes) {
        GroupCopy copy = new GroupCopy(message);
        int entries = 0;
        boolean anyOffline = false;
        for (long member : members) {
            for (long left = memberDevices(directory, message, member); left != 0; left &= left - 1) {
                int device = Long.numberOfTrailingZeros(left);
                DeviceState state = devices.device(member, device);
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
            // A body kept only in the journal is read back from the stored copy: no entry copies it.
            boolean withBodies = fanout == Fanout.PER_MEMBER && message.body() != null;
            cycle = journal.groupQueued(message, entries, fanUsers, fanDevices, fanSeqs, withBodies);
        }
        MessageRecord record = null;
        long taken = 0;
        for (int i = 0; i < entries; i++) {
            long member = fanUsers[i];
            if (i == 0 || fanUsers[i - 1] != member) {
                record = record(copy, memberDevices(directory, message, member), cycle);
            }
            DeviceState state = devices.device(member, fanDevices[i]);
            taken += queued(member, fanDevices[i], state, append(state.queue, record, message));
            counters.increment(ShardCounter.GROUP_FANOUT);
            delivery.pump(member, state);
        }
        queued.charge(taken - reservedBytes);
        if (copy.done()) {
            releases.released(message);
        }
    }

    /**
     * Appends a group message's entry: sharing its single copy ({@code single-copy}), with a copy of its own ({@code
     * per-member}), or, for a body kept only in the group owner's journal, with none (read back on delivery).
     */
    private long append(DeviceQueue queue, MessageRecord record, GroupMessage message) {
        byte[] body = message.body();
        if (body == null) {
            return queue.appendJournaled(record, message.type(), message.bodyLength(), STORED_COPY, 0);
        }
        return queue.appendShared(record, message.type(), fanout == Fanout.SINGLE_COPY ? body : body.clone());
    }

    /**
     * An entry made at {@code seq} of the device's queue: counted, and what it adds to the server's budget returned
     * (its single copy's body too, for the first entry here that shares it).
     */
    private long queued(long member, int device, DeviceState state, long seq) {
        DeviceQueue queue = state.queue;
        long shared = QueuedBytes.sharesBody(queue, seq)
                ? queued.shared(queue.record(seq).copy())
                : 0;
        queued.added(member, device, state, seq);
        counters.increment(ShardCounter.MESSAGES_QUEUED);
        return shared + QueuedBytes.own(queue, seq);
    }

    /** The devices of a member that get a group message: all of them, but the sending one. */
    static long memberDevices(DeviceDirectory directory, GroupMessage message, long member) {
        long mask = directory.deviceMask(member);
        return member == message.senderUser() ? mask & ~(1L << message.senderDevice()) : mask;
    }

    /**
     * What the entries of a group message for these members take from the server's budget, as {@link #fanOut} will
     * count them: with {@code single-copy} the body once and {@link DeviceQueue#ENTRY_BYTES} per member device; with
     * {@code per-member} the body and the entry per member device.
     */
    static long bytesFor(DeviceDirectory directory, Fanout fanout, GroupMessage message, long[] members) {
        long entries = 0;
        for (long member : members) {
            entries += Long.bitCount(memberDevices(directory, message, member));
        }
        int body = message.bodyLength();
        if (fanout == Fanout.PER_MEMBER && message.body() != null) {
            return entries * DeviceQueue.bytes(body);
        }
        return entries == 0 ? 0 : body + entries * DeviceQueue.ENTRY_BYTES;
    }

    private static MessageRecord record(GroupCopy copy, long devices, int cycle) {
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

    /**
     * Members left a group or were removed: the delivery lists here stop waiting for them, and the group's messages
     * still queued for them (if this owner holds them) are dropped.
     */
    void membersGone(String group, long[] members) {
        receipts.membersGone(group, members);
        for (long member : members) {
            if (peers.ownerOfUser(member) == peers.self()) {
                groupCounts.left(member);
            }
        }
        for (long member : members) {
            delivery.dropGroup(member, group);
        }
    }

    /**
     * Users held here are joining a group: each below {@code limit} groups gets a place kept (counted now); the
     * others are refused. The answer goes back to the group's owner.
     */
    void joinGroups(String group, long[] users, int limit, int groupOwner) {
        LongArrayList reserved = new LongArrayList();
        long[] refused = groupCounts.reserve(users, limit, reserved);
        long[] reservedUsers = reserved.toLongArray();
        peers.post(groupOwner, target -> target.groupMembership().joined(group, refused, reservedUsers));
    }

    /** These users (all held here) are in one group fewer. */
    void leftGroups(long[] users) {
        for (long user : users) {
            groupCounts.left(user);
        }
    }

    /** At start: a member held here is in one more group. */
    void countGroup(long user) {
        groupCounts.count(user);
    }

    /** Replay: one queue entry of a group message; {@code body} is its own copy, or null for the stored one. */
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
            record = record(copy, 0, cycle);
            byUser.put(user, record);
        }
        record.pending(device);
        DeviceState state = devices.device(user, device);
        if (body == null && message.body() == null) {
            state.queue.restoreJournaled(seq, record, message.type(), message.bodyLength(), STORED_COPY, 0);
        } else {
            state.queue.restoreShared(seq, record, message.type(), body != null ? body : message.body());
        }
        // Acknowledged before the restart: held whatever the budget.
        queued.charge(queued(user, device, state, seq));
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

    /** The owners' joint look at the group messages read back is over. */
    void recovered() {
        recoveredGroups.clear();
    }
}
