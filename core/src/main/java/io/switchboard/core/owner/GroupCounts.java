package io.switchboard.core.owner;

import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;

/**
 * How many groups each of one owner's users is in, against {@code router.maxGroupsPerUser}: a group's owner asks for
 * a place before a user joins, and gives it back when the user goes. Users in no group are absent. Not thread-safe:
 * the owner alone calls it.
 */
final class GroupCounts {
    private final Long2LongHashMap groupsOf = new Long2LongHashMap(0);

    /** Keeps a place for each user below {@code limit} groups and returns the others (refused), in order. */
    long[] reserve(long[] users, int limit, LongArrayList reserved) {
        LongArrayList refused = new LongArrayList();
        for (long user : users) {
            long count = groupsOf.get(user);
            if (count >= limit) {
                refused.addLong(user);
            } else {
                groupsOf.put(user, count + 1);
                reserved.addLong(user);
            }
        }
        return refused.toLongArray();
    }

    /** The user is in one group fewer. */
    void left(long user) {
        long count = groupsOf.get(user) - 1;
        if (count > 0) {
            groupsOf.put(user, count);
        } else {
            groupsOf.remove(user);
        }
    }

    /** At start: the user is in one more group. */
    void count(long user) {
        groupsOf.put(user, groupsOf.get(user) + 1);
    }
}
