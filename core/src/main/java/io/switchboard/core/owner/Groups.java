package io.switchboard.core.owner;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.agrona.collections.LongArrayList;

/**
 * The groups one owner holds (those whose id hashes to it), and their members split by the owner of each. Owner
 * thread only.
 */
final class Groups {
    private final Peers peers;
    private final CounterSet<ShardCounter> counters;
    private final Map<String, Group> groups = new HashMap<>();
    private final LongArrayList[] byOwner;

    Groups(Peers peers, CounterSet<ShardCounter> counters) {
        this.peers = peers;
        this.counters = counters;
        this.byOwner = new LongArrayList[peers.owners()];
        for (int i = 0; i < byOwner.length; i++) {
            byOwner[i] = new LongArrayList();
        }
    }

    Group get(String id) {
        return groups.get(id);
    }

    Collection<Group> all() {
        return groups.values();
    }

    void add(Group group) {
        groups.put(group.id, group);
        counters.increment(ShardCounter.GROUPS);
    }

    void remove(String id) {
        groups.remove(id);
        counters.decrement(ShardCounter.GROUPS);
    }

    /**
     * The group's members by owner, split once per membership (every send and typing frame uses it): the arrays are
     * shared by the tasks that carry them, so they are never modified.
     */
    long[][] membersByOwner(Group group) {
        if (group.byOwner == null) {
            group.byOwner = split(group.members);
            int owners = 0;
            for (long[] theirs : group.byOwner) {
                if (theirs != null) {
                    owners++;
                }
            }
            group.owners = owners;
        }
        return group.byOwner;
    }

    /** The users by owner: null where an owner has none. */
    long[][] split(long[] users) {
        for (long user : users) {
            byOwner[peers.ownerOfUser(user)].add(user);
        }
        long[][] split = new long[byOwner.length][];
        for (int owner = 0; owner < byOwner.length; owner++) {
            if (!byOwner[owner].isEmpty()) {
                split[owner] = byOwner[owner].toLongArray();
                byOwner[owner].clear();
            }
        }
        return split;
    }
}
