package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.message.GroupMessage;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * The group messages a group's owner read back at start, kept until every owner has replayed its journal and they
 * settle, in {@link #join}, what each stored message still needs. Owner thread only (recovery runs before any
 * command).
 */
final class GroupRecovery {
    private final Groups groups;
    private final Peers peers;
    private final Journal journal;
    private final MessageStore store;
    /** Stored group messages read back at start, by sending device and id, until {@link #join}. */
    private final Long2ObjectHashMap<Long2ObjectHashMap<Recovered>> recovered = new Long2ObjectHashMap<>();

    private final List<Recovered> recoveredInOrder = new ArrayList<>();

    GroupRecovery(OwnerWiring wiring, Groups groups) {
        this.groups = groups;
        this.peers = wiring.peers();
        this.journal = wiring.journal();
        this.store = wiring.store();
    }

    void onGroupMessage(GroupMessage message) {
        // The same budget as before the restart: a body past it is read back from the journal when delivered.
        if (!store.reserveHeapBodies(message.bodyLength())) {
            message.dropBody();
        }
        Recovered entry = new Recovered(message);
        recovered
                .computeIfAbsent(message.senderKey(), key -> new Long2ObjectHashMap<>())
                .put(message.id(), entry);
        recoveredInOrder.add(entry);
    }

    void onGroupReleased(long senderKey, long id, int by) {
        Recovered message = recovered(senderKey, id);
        if (message != null) {
            message.releasedBy.add(by);
        }
    }

    /** A stored group message read back at start, or null. */
    GroupMessage recoveredMessage(long senderKey, long id) {
        Recovered message = recovered(senderKey, id);
        return message == null ? null : message.message;
    }

    private Recovered recovered(long senderKey, long id) {
        Long2ObjectHashMap<Recovered> ids = recovered.get(senderKey);
        return ids == null ? null : ids.get(id);
    }

    /**
     * Once every owner replayed its journal: every member is counted in its owner's count of groups per user, and
     * each stored message still needed somewhere is settled with each owner of its members. An owner whose queue
     * entries were all acknowledged releases it now (its release did not reach the journal); one whose fan-out never
     * reached its journal gets it again (members who had it get it twice: at least once); and its delivery list is
     * rebuilt at the sender's owner, with the members whose devices all have it marked delivered. Reads before the
     * restart are not known again.
     */
    void join(Owner[] owners) {
        for (Group group : groups.all()) {
            for (long member : group.members) {
                owners[peers.ownerOfUser(member)].groupFanout().countGroup(member);
            }
            GroupInvites.tellInvited(group, owners, peers);
        }
        // In the order they were stored: what is fanned out again keeps each sender's order.
        recoveredInOrder.forEach(entry -> join(entry, owners));
        recoveredInOrder.clear();
        recovered.clear();
    }

    private void join(Recovered entry, Owner[] owners) {
        GroupMessage message = entry.message;
        long[][] users = groups.split(message.members());
        // Counted before any fan-out below: one that finds no device to queue for releases the message at once.
        int pending = 0;
        for (int owner = 0; owner < users.length; owner++) {
            if (users[owner] != null && !entry.releasedBy.contains(owner)) {
                GroupCopy copy = owners[owner].groupFanout().recoveredCopy(message);
                if (copy == null || !copy.done()) {
                    pending++;
                }
            }
        }
        message.pendingOwners(pending);
        if (pending == 0) {
            GroupSends.forget(store, message);
        }
        for (int owner = 0; owner < users.length; owner++) {
            if (users[owner] == null || entry.releasedBy.contains(owner)) {
                continue;
            }
            GroupFanout members = owners[owner].groupFanout();
            GroupCopy copy = members.recoveredCopy(message);
            if (copy == null) {
                members.fanOut(message, users[owner], 0);
            } else if (copy.done()) {
                journal.groupReleased(message, owner);
            }
        }
        if (pending > 0) {
            owners[peers.ownerOfUser(message.senderUser())]
                    .receipts()
                    .track(
                            message,
                            member -> !owners[peers.ownerOfUser(member)]
                                    .groupFanout()
                                    .pendingAt(message, member));
        }
    }

    /** A stored group message read back, and the owners of members that released it. */
    private static final class Recovered {
        final GroupMessage message;
        final IntHashSet releasedBy = new IntHashSet();

        Recovered(GroupMessage message) {
            this.message = message;
        }
    }
}
