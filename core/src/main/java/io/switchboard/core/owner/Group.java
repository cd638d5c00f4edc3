package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.limits.TokenBucket;
import io.switchboard.core.message.GroupInvite;
import java.util.Arrays;
import org.agrona.collections.Long2ObjectHashMap;

/**
 * A group as its owner holds it. Its arrays are replaced on a change, never modified, so tasks may carry them to
 * other owners. Owner thread only.
 */
final class Group {
    final String id;
    /** The members, sorted; shared by the messages sent until the next change. */
    long[] members = new long[0];
    /** The admins, sorted. */
    long[] admins = new long[0];
    /** The journal cycle of the group's latest state, held until the next one. */
    int cycle = Journal.FAILED;
    /** {@link #members} by owner, and how many owners have any: made on first use after a change. */
    long[][] byOwner;

    int owners;

    /**
     * What the group's adds and removes may still tell its members ({@code limits.groupEvents}), over the owner's
     * epoch clock in nanoseconds; 0 is long past, so a new group starts full.
     */
    final TokenBucket changeBudget = new TokenBucket(0);

    /** Invites by user, for users whose privacy refused an admin's add ({@link GroupInvites}); null while none. */
    Long2ObjectHashMap<GroupInvite> invites;

    Group(String id) {
        this.id = id;
    }

    boolean has(long user) {
        return Arrays.binarySearch(members, user) >= 0;
    }

    boolean hasAdmin(long user) {
        return Arrays.binarySearch(admins, user) >= 0;
    }

    /** Takes a new state journaled at {@code cycle}, letting the journal go of the one before. */
    void set(long[] members, long[] admins, int cycle, Journal journal) {
        if (this.cycle != Journal.FAILED) {
            journal.released(this.cycle);
        }
        this.members = members;
        this.admins = admins;
        this.cycle = members.length == 0 ? Journal.FAILED : cycle;
        this.byOwner = null;
    }
}
