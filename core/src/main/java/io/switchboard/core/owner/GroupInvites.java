package io.switchboard.core.owner;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.EpochClock;

/**
 * Invites to the groups one owner holds, made for users whose privacy setting refused an admin's add: at most one per
 * user and group (a new one replaces it), kept with the group, good once, until it expires, and only while the admin
 * who made it still is one. Codes are 144 random bits ({@link SecureRandom}, URL-safe base64, 24 characters), so only
 * the invited user, who is sent it, can present it. In memory only, like link codes: a restart voids them, and the
 * admin adds the user again. Owner thread only.
 */
final class GroupInvites {
    private static final int CODE_BYTES = 18;

    private final Peers peers;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    private final long expiryMs;
    /** Invites a group holds at once: as many as it may have members. */
    private final int maxPerGroup;

    private final SecureRandom random = new SecureRandom();
    private final byte[] codeBytes = new byte[CODE_BYTES];

    /** One invite: its code, the admin who made it, and until when it may be accepted. */
    record Invite(String code, long by, long expiresAtMs) {}

    GroupInvites(OwnerWiring wiring, OwnerRules rules) {
        this.peers = wiring.peers();
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
            group.invites.put(user, new Invite(code, by, expiresAtMs));
            peers.post(
                    peers.ownerOfUser(user), target -> target.heldInvites().invited(user, id, by, code, expiresAtMs));
            counters.increment(ShardCounter.GROUP_INVITES);
        }
    }

    /**
     * The invite {@code user} holds to {@code group} if {@code code} is its code, it has not expired and the admin who
     * made it still is one; null otherwise.
     */
    Invite valid(Group group, long user, String code) {
        Invite invite = group.invites == null ? null : group.invites.get(user);
        if (invite == null
                || !MessageDigest.isEqual(
                        invite.code.getBytes(StandardCharsets.US_ASCII), code.getBytes(StandardCharsets.US_ASCII))
                || clock.time() - invite.expiresAtMs >= 0
                || !group.hasAdmin(invite.by)) {
            return null;
        }
        return invite;
    }

    /** The user joined the group: the invite is used up, here and in the copy its owner held for its sessions. */
    void used(Group group, long user) {
        if (group.invites != null && group.invites.remove(user) != null) {
            String id = group.id;
            peers.post(peers.ownerOfUser(user), target -> target.heldInvites().accepted(user, id));
        }
    }

    /** Forgets the expired invites of every group; run now and then. */
    void expireAll(Collection<Group> groups) {
        long nowMs = clock.time();
        for (Group group : groups) {
            if (group.invites != null) {
                group.invites.values().removeIf(invite -> nowMs - invite.expiresAtMs >= 0);
                if (group.invites.isEmpty()) {
                    group.invites = null;
                }
            }
        }
    }

    private static void dropSoonestExpiring(Long2ObjectHashMap<Invite> invites) {
        long soonestUser = 0;
        long soonestMs = Long.MAX_VALUE;
        for (Long2ObjectHashMap<Invite>.KeyIterator it = invites.keySet().iterator(); it.hasNext(); ) {
            long user = it.nextLong();
            long expiresAtMs = invites.get(user).expiresAtMs;
            if (expiresAtMs < soonestMs) {
                soonestMs = expiresAtMs;
                soonestUser = user;
            }
        }
        invites.remove(soonestUser);
    }
}
