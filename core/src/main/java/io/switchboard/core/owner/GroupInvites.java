package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.EpochClock;

/**
 * Invites to the groups one owner holds, made for users whose privacy setting refused an admin's add: at most one per
 * user and group (a new one replaces it), kept with the group, good once, until it expires, and only while the admin
 * who made it still is one. Codes are 144 random bits ({@link SecureRandom}, URL-safe base64, 24 characters), so only
 * the invited user, who is sent it, can present it. Journaled with the group's state ({@link #persist}), so that a
 * restart keeps a pending invite valid and a used or expired one void. Owner thread only.
 */
final class GroupInvites {
    private static final int CODE_BYTES = 18;

    private final Peers peers;
    private final Journal journal;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    private final long expiryMs;
    /** Invites a group holds at once: as many as it may have members. */
    private final int maxPerGroup;

    private final SecureRandom random = new SecureRandom();
    private final byte[] codeBytes = new byte[CODE_BYTES];

    GroupInvites(OwnerWiring wiring, OwnerRules rules) {
        this.peers = wiring.peers();
        this.journal = wiring.journal();
        this.clock = wiring.clock();
        this.counters = wiring.counters();
        this.expiryMs = rules.groupInviteExpiryMs();
        this.maxPerGroup = rules.maxGroupMembers();
    }

    /** {@code by} invites {@code users} to {@code group}: each gets a new code, sent to them by their owner. */
    void invite(Group group, long by, long[] users) {
        if (users.length == 0) {
            return;
        }
        if (group.invites == null) {
            group.invites = new Long2ObjectHashMap<>();
        }
        long expiresAtMs = clock.time() + expiryMs;
        String id = group.id;
        for (long user : users) {
            if (!group.invites.containsKey(user) && group.invites.size() >= maxPerGroup) {
                dropSoonestExpiring(group.invites);
            }
            random.nextBytes(codeBytes);
            String code = Base64.getUrlEncoder().withoutPadding().encodeToString(codeBytes);
            group.invites.put(user, new GroupInvite(user, by, code, expiresAtMs));
            peers.post(
                    peers.ownerOfUser(user), target -> target.heldInvites().invited(user, id, by, code, expiresAtMs));
            counters.increment(ShardCounter.GROUP_INVITES);
        }
    }

    /**
     * The invite {@code user} holds to {@code group} if {@code code} is its code, it has not expired and the admin who
     * made it still is one; null otherwise.
     */
    GroupInvite valid(Group group, long user, String code) {
        GroupInvite invite = group.invites == null ? null : group.invites.get(user);
        if (invite == null
                || !MessageDigest.isEqual(
                        invite.code().getBytes(StandardCharsets.US_ASCII), code.getBytes(StandardCharsets.US_ASCII))
                || clock.time() - invite.expiresAtMs() >= 0
                || !group.hasAdmin(invite.by())) {
            return null;
        }
        return invite;
    }

    /**
     * The user joined the group: the invite is used up, here and in the copy its owner held for its sessions; true when
     * there was one (the caller then {@link #persist}s the group).
     */
    boolean used(Group group, long user) {
        if (group.invites != null && group.invites.remove(user) != null) {
            String id = group.id;
            peers.post(peers.ownerOfUser(user), target -> target.heldInvites().accepted(user, id));
            return true;
        }
        return false;
    }

    /** The group's invites as they are now, for its state in the journal. */
    static Collection<GroupInvite> of(Group group) {
        return group.invites == null ? List.of() : group.invites.values();
    }

    /**
     * Journals the group's state with its invites as they are now, after invites were made or used. Should the journal
     * refuse, the invites still serve this run; the group's next state written carries them, and until then a restart
     * finds the older ones, of which a used one can only let a member join what it is in already.
     */
    void persist(Group group) {
        int cycle = journal.groupState(group.id, group.members, group.admins, of(group));
        if (cycle != Journal.FAILED) {
            group.set(group.members, group.admins, cycle, journal);
        }
    }

    /**
     * Replay: the invites of the group's latest state, those not expired; and the copies their users' owners hold for
     * sessions, once every owner replayed ({@link #tellInvited}).
     */
    void restore(Group group, List<GroupInvite> invites) {
        long nowMs = clock.time();
        group.invites = null;
        for (GroupInvite invite : invites) {
            if (nowMs - invite.expiresAtMs() < 0) {
                if (group.invites == null) {
                    group.invites = new Long2ObjectHashMap<>();
                }
                group.invites.put(invite.user(), invite);
            }
        }
    }

    /** At the end of recovery: each invited user's owner holds the invite again for the user's sessions. */
    static void tellInvited(Group group, Owner[] owners, Peers peers) {
        for (GroupInvite invite : of(group)) {
            owners[peers.ownerOfUser(invite.user())]
                    .heldInvites()
                    .invited(invite.user(), group.id, invite.by(), invite.code(), invite.expiresAtMs());
        }
    }

    /** Forgets the expired invites of every group; run now and then. */
    void expireAll(Collection<Group> groups) {
        long nowMs = clock.time();
        for (Group group : groups) {
            if (group.invites != null) {
                group.invites.values().removeIf(invite -> nowMs - invite.expiresAtMs() >= 0);
                if (group.invites.isEmpty()) {
                    group.invites = null;
                }
            }
        }
    }

    private static void dropSoonestExpiring(Long2ObjectHashMap<GroupInvite> invites) {
        long soonestUser = 0;
        long soonestMs = Long.MAX_VALUE;
        for (Long2ObjectHashMap<GroupInvite>.KeyIterator it = invites.keySet().iterator(); it.hasNext(); ) {
            long user = it.nextLong();
            long expiresAtMs = invites.get(user).expiresAtMs();
            if (expiresAtMs < soonestMs) {
                soonestMs = expiresAtMs;
                soonestUser = user;
            }
        }
        invites.remove(soonestUser);
    }
}
