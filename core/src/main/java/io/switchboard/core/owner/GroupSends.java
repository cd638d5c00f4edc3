package io.switchboard.core.owner;

import io.switchboard.core.config.Fanout;
import io.switchboard.core.journal.Journal;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SenderKey;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import org.agrona.concurrent.EpochClock;

/**
 * Group messages and typing at the group's owner. A message is checked, de-duplicated by sending device, stored once
 * (journaled before the ack) and handed, as one immutable {@link GroupMessage}, to the owner of each member, which
 * queues it for the member's devices; its delivery list goes to the owner of the sender, where the receipts arrive.
 * The stored copy is let go once every owner released it. Owner thread only.
 */
final class GroupSends {
    private static final String STORAGE_UNAVAILABLE = "the server cannot store this right now; retry later";
    private static final String MEMBER_FULL = "a member's queue is full; retry later";

    private final Groups groups;
    private final GroupReplies replies;
    private final Outbound out;
    private final Peers peers;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    private final Journal journal;
    private final AcceptedIds accepted;
    private final QueuedBytes queued;
    private final DeviceDirectory directory;
    private final Fanout fanout;
    /** Scratch: what each owner of members is expected to take from the budget for the message being accepted. */
    private final long[] reservedBy;

    private final SendRefusal storageRefusal;

    GroupSends(OwnerWiring wiring, OwnerRules rules, Groups groups, GroupReplies replies, QueuedBytes queued) {
        this.groups = groups;
        this.queued = queued;
        this.directory = wiring.directory();
        this.fanout = rules.fanout();
        this.reservedBy = new long[wiring.peers().owners()];
        this.replies = replies;
        this.out = wiring.out();
        this.peers = wiring.peers();
        this.clock = wiring.clock();
        this.counters = wiring.counters();
        this.journal = wiring.journal();
        this.accepted = new AcceptedIds(out, clock, counters);
        this.storageRefusal = new SendRefusal(out, counters, null, SendRefusal.STORAGE_RETRY_AFTER_MS);
    }

    void send(long user, int device, long connection, Frame frame, Group group) {
        long id = frame.id();
        if (!replies.member(user, connection, 0, id, group)) {
            counters.increment(ShardCounter.MESSAGES_REJECTED);
            return;
        }
        if (frame.envelopeCount() != 1) {
            counters.increment(ShardCounter.MESSAGES_REJECTED);
            out.error(connection, ErrorCode.DEVICES, id, "a group send carries exactly one envelope", 0, 0);
            return;
        }
        long senderKey = SenderKey.of(user, device);
        if (!accepted.admit(connection, senderKey, id)) {
            return;
        }
        GroupMessage message = new GroupMessage(
                group.id,
                peers.self(),
                user,
                device,
                id,
                clock.time(),
                frame.envelopeType(0),
                frame.envelopeBody(0),
                frame.hasMedia() ? mediaId(frame) : null,
                frame.mediaSize(),
                group.members);
        long[][] users = groups.membersByOwner(group);
        long reserved = reserve(connection, message, users);
        if (reserved < 0) {
            return;
        }
        // The body on the heap within its budget; past it in the journal only, or refused where there is none.
        MessageStore store = queued.store();
        boolean onHeap = store.reserveHeapBodies(message.bodyLength());
        if (!onHeap && !journal.keepsBodies()) {
            store.release(reserved);
            queued.refuse(connection, id, QueuedBytes.SERVER_FULL);
            return;
        }
        long index = journal.groupMessageAt(message, group.owners);
        if (index == Journal.FAILED) {
            store.release(reserved);
            if (onHeap) {
                store.releaseHeapBodies(message.bodyLength());
            }
            storageRefusal.refuse(connection, id, STORAGE_UNAVAILABLE);
            return;
        }
        message.cycle(journal.cycleOf(index));
        message.storedAt(index, journal.storedBodies());
        if (!onHeap) {
            message.dropBody();
        }
        message.pendingOwners(group.owners);
        accepted.accept(senderKey, id);
        counters.increment(ShardCounter.GROUP_MESSAGES_ACCEPTED);
        out.ack(connection, id, message.ts());
        // The delivery list first: receipts from the members' owners must find it at the sender's owner.
        peers.post(peers.ownerOfUser(user), target -> target.receipts().track(message));
        for (int owner = 0; owner < users.length; owner++) {
            long[] theirs = users[owner];
            if (theirs != null) {
                long bytes = reservedBy[owner];
                peers.post(owner, target -> target.groupFanout().fanOut(message, theirs, bytes));
            }
        }
    }

    /**
     * Before anything is stored: refuses the whole send ({@code unavailable}, returning -1) when a member device's
     * queue is published full, or when its entries would pass the server's budget; else takes them from the budget
     * and returns how much, split by owner in {@link #reservedBy}. Refusing all is what keeps "acknowledged is
     * delivered" for every member: a send acknowledged and then left out for a full member would be lost to it.
     */
    private long reserve(long connection, GroupMessage message, long[][] users) {
        if (queued.store().anyFull(message.members(), message.senderUser(), message.senderDevice())) {
            queued.refuse(connection, message.id(), MEMBER_FULL);
            return -1;
        }
        long total = 0;
        for (int owner = 0; owner < users.length; owner++) {
            reservedBy[owner] =
                    users[owner] == null ? 0 : GroupFanout.bytesFor(directory, fanout, message, users[owner]);
            total += reservedBy[owner];
        }
        if (!queued.store().reserve(total)) {
            queued.refuse(connection, message.id(), QueuedBytes.SERVER_FULL);
            return -1;
        }
        return total;
    }

    /** Typing in a group reaches the other members' online devices; from a non-member it is ignored, as never stored. */
    void typing(long user, boolean on, Group group) {
        if (group == null || !group.has(user)) {
            return;
        }
        long[][] users = groups.membersByOwner(group);
        for (int owner = 0; owner < users.length; owner++) {
            long[] theirs = users[owner];
            if (theirs != null) {
                peers.post(owner, target -> target.relay().typing(user, theirs, on));
            }
        }
    }

    /** The owner {@code by} has no use left for the stored copy: everything it queued was acknowledged or dropped. */
    void released(GroupMessage message, int by) {
        journal.groupReleased(message, by);
        if (message.ownerReleased()) {
            forget(queued.store(), message);
        }
    }

    /**
     * No owner of members reads the stored copy any more: its body leaves the heap (the delivery list at the sender's
     * owner keeps only who has it) and gives its bytes back to the heap's budget.
     */
    static void forget(MessageStore store, GroupMessage message) {
        if (message.body() != null) {
            store.releaseHeapBodies(message.bodyLength());
            message.dropBody();
        }
    }

    /** Replay: a group message accepted before the restart, so that a repeat of it is still a duplicate. */
    void onGroupMessage(GroupMessage message) {
        accepted.accept(message.senderKey(), message.id());
    }

    private static byte[] mediaId(Frame frame) {
        byte[] bytes = new byte[frame.mediaId().length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = frame.mediaId().byteAt(i);
        }
        return bytes;
    }
}
