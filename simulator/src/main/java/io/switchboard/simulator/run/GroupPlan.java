package io.switchboard.simulator.run;

import io.switchboard.core.protocol.FrameText;
import io.switchboard.simulator.scenario.Scenario;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.collections.IntHashSet;

/**
 * The groups of a run, drawn from the seed alone (same seed, same groups): each group's size, log-uniform over the
 * scenario's range, its distinct members drawn uniformly from every registered user, and its creator (the first
 * member drawn). Members are kept as one sorted {@code int[]} of user indexes per membership version, so a member's
 * position — the bit the oracle keeps for it — is a binary search away. Version {@code g} is group g as planned; each
 * membership change during the run adds a version of its group (changes are rare, so a full array each is cheap) and
 * makes it the group's current one. A group message belongs to the version current when it was sent.
 */
final class GroupPlan {
    /** Salts the seed so that the groups do not share draws with the arrivals, which use the seed as it is. */
    private static final long SALT = 0x67726F7570734CL;

    /** Members of each version, sorted; versions below {@link #count} are the planned groups. */
    private int[][] members;
    /** The group of each version. */
    private int[] versionGroups;

    private int versions;
    /** Each group's current version. */
    private final int[] current;

    private final int[] creators;
    private final String[] ids;

    /** The user id of index 0, less one ({@link io.switchboard.simulator.net.DeviceSlots#userId}). */
    private final long userBase;
    /** The number in the wire id of group 0: a worker's groups follow those of the workers before it. */
    private final int groupBase;

    GroupPlan(long seed, int users, Scenario.Groups groups) {
        this(seed, users, groups, 0, 0);
    }

    /**
     * The groups of users {@code userBase + 1..userBase + users}, with wire ids from {@code g<groupBase>}: a worker's
     * share of a run with {@code --workers}, whose groups stay within its share.
     */
    GroupPlan(long seed, int users, Scenario.Groups groups, long userBase, int groupBase) {
        this.userBase = userBase;
        this.groupBase = groupBase;
        int count = groups.count();
        members = new int[count][];
        versionGroups = new int[count];
        current = new int[count];
        versions = count;
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
            versionGroups[g] = g;
            current[g] = g;
            ids[g] = "g" + (groupBase + g);
        }
    }

    int count() {
        return current.length;
    }

    /** The current members of group {@code group}, sorted; do not modify. */
    int[] members(int group) {
        return members[current[group]];
    }

    /** The group's current membership version. */
    int version(int group) {
        return current[group];
    }

    /** The members of a version, sorted; do not modify. */
    int[] versionMembers(int version) {
        return members[version];
    }

    /** The group a version belongs to. */
    int groupOf(int version) {
        return versionGroups[version];
    }

    /** The group now has {@code sortedMembers}, the creator still among them: a new current version. */
    void changed(int group, int[] sortedMembers) {
        if (versions == members.length) {
            members = Arrays.copyOf(members, versions * 2);
            versionGroups = Arrays.copyOf(versionGroups, versions * 2);
        }
        members[versions] = sortedMembers;
        versionGroups[versions] = group;
        current[group] = versions++;
    }

    int creator(int group) {
        return creators[group];
    }

    /** The group's id on the wire. */
    String id(int group) {
        return ids[group];
    }

    /** The user id (on the wire) of user index {@code index}. */
    long userId(int index) {
        return userBase + index + 1;
    }

    /** The group whose wire id is {@code id} ({@code g} and its number), or -1 when it names none; allocates nothing. */
    int indexOf(FrameText id) {
        if (id.length() < 2 || id.byteAt(0) != 'g') {
            return -1;
        }
        long number = 0;
        long end = (long) groupBase + count();
        for (int i = 1; i < id.length() && number < end; i++) {
            int digit = id.byteAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return -1;
            }
            number = number * 10 + digit;
        }
        long group = number - groupBase;
        return group >= 0 && group < count() ? (int) group : -1;
    }

    /** The member's position in the version's members, or a negative number when {@code user} is not a member. */
    int position(int version, int user) {
        return Arrays.binarySearch(members[version], user);
    }

    /** The largest group as planned (created). */
    int largest() {
        int largest = 0;
        for (int g = 0; g < count(); g++) {
            largest = Math.max(largest, members[g].length);
        }
        return largest;
    }

    /** Memberships of the groups as planned (created). */
    long memberships() {
        long memberships = 0;
        for (int g = 0; g < count(); g++) {
            memberships += members[g].length;
        }
        return memberships;
    }
}
