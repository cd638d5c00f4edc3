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
    private final DeviceStates devices;
    private final Delivery delivery;
    private final Receipts receipts;
    private final GroupReleases releases;
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
            GroupReleases releases) {
        this.devices = devices;
        this.delivery = delivery;
        this.receipts = receipts;
        this.releases = releases;
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
     * device its own copy, as a server that stores a message per recipient would.
     */
    void fanOut(GroupMessage message, long[] members) {
        GroupCopy copy = new GroupCopy(message);
        int entries = 0;
        boolean anyOffline = false;
        for (long member : members) {
            for (long left = memberDevices(message, member); left != 0; left &= left - 1) {
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
            cycle = journal.groupQueued(message, entries, fanUsers, fanDevices, fanSeqs, fanout == Fanout.PER_MEMBER);
        }
        MessageRecord record = null;
        for (int i = 0; i < entries; i++) {
            long member = fanUsers[i];
            if (i == 0 || fanUsers[i - 1] != member) {
                record = record(copy, memberDevices(message, member), cycle);
            }
            byte[] body = fanout == Fanout.SINGLE_COPY
                    ? message.body()
                    : message.body().clone();
            DeviceState state = devices.device(member, fanDevices[i]);
            state.queue.appendShared(record, message.type(), body);
            counters.increment(ShardCounter.MESSAGES_QUEUED);
            counters.increment(ShardCounter.GROUP_FANOUT);
            delivery.pump(member, state);
        }
        if (copy.done()) {
            releases.released(message);
        }
    }

    /** The devices of a member that get a group message: all of them, but the sending one. */
    private long memberDevices(GroupMessage message, long member) {
        long mask = directory.deviceMask(member);
        return member == message.senderUser() ? mask & ~(1L << message.senderDevice()) : mask;
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
        devices.device(user, device)
                .queue
                .restoreShared(seq, record, message.type(), body != null ? body : message.body());
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

    /** The owners' joint look at the group messages read back is over. */
    void recovered() {
        recoveredGroups.clear();
    }
}
