package io.switchboard.simulator.run;

import io.switchboard.simulator.scenario.Scenario;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.collections.IntHashSet;

/**
 * The groups of a run, drawn from the seed alone (same seed, same groups): each group's size, log-uniform over the
 * scenario's range, its distinct members drawn uniformly from every registered user, and its creator (the first
 * member drawn). Members are kept as one sorted {@code int[]} of user indexes per group, so a member's position — the
 * bit the oracle keeps for it — is a binary search away. Immutable once built.
 */
final class GroupPlan {
    /** Salts the seed so that the groups do not share draws with the arrivals, which use the seed as it is. */
    private static final long SALT = 0x67726F7570734CL;

    private final int[][] members;
    private final int[] creators;
    private final String[] ids;

    GroupPlan(long seed, int users, Scenario.Groups groups) {
        int count = groups.count();
        members = new int[count][];
        creators = new int[count];
        ids = new String[count];
        SplittableRandom random = new SplittableRandom(seed ^ SALT);
        double logMin = Math.log(groups.minSize());
        double logSpan = Math.log(groups.maxSize() + 1.0) - logMin;
        IntHashSet drawn = new IntHashSet();
        for (int g = 0; g < count; g++) {
            int size = Math.min(groups.maxSize(), (int) Math.exp(logMin + random.nextDouble() * logSpan));
            int[] group = new int[size];
            drawn.clear();
            for (int i = 0; i < size; i++) {
                int user;
                do {
                    user = random.nextInt(users);
                } while (!drawn.add(user));
                group[i] = user;
            }
            creators[g] = group[0];
            Arrays.sort(group);
            members[g] = group;
            ids[g] = "g" + g;
        }
    }

    int count() {
        return members.length;
    }

    /** The members of group {@code group}, sorted; do not modify. */
    int[] members(int group) {
        return members[group];
    }

    int creator(int group) {
        return creators[group];
    }

    /** The group's id on the wire. */
    String id(int group) {
        return ids[group];
    }

    /** The member's position in {@link #members}, or a negative number when {@code user} is not a member. */
    int position(int group, int user) {
        return Arrays.binarySearch(members[group], user);
    }

    int largest() {
        int largest = 0;
        for (int[] group : members) {
            largest = Math.max(largest, group.length);
        }
        return largest;
    }

    long memberships() {
        long memberships = 0;
        for (int[] group : members) {
            memberships += group.length;
        }
        return memberships;
    }
}
