package io.switchboard.core.owner;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.EpochClock;

/**
 * The group invites waiting for this owner's users to accept them: each goes to the user's online devices when it is
 * made and again to every session the user opens until it is accepted, replaced or expired, so a user who was offline
 * learns of it. A copy for delivery only: the group's owner keeps the invite that a {@code group.join} is checked
 * against ({@link GroupInvites}). At most {@link #MAX_PER_USER} per user, the oldest dropped past it; kept in memory
 * only, as the group's copy is. Owner thread only.
 */
final class HeldInvites {
    /** Invites a user may have waiting: more than anyone answers, few enough that a flood of them costs little. */
    static final int MAX_PER_USER = 64;

    private final DeviceStates devices;
    private final Outbound out;
    private final EpochClock clock;
    private final Long2ObjectHashMap<List<HeldInvite>> byUser = new Long2ObjectHashMap<>();
    private final Frame frame = new Frame();

    private record HeldInvite(String group, long by, String code, long expiresAtMs) {}

    HeldInvites(OwnerWiring wiring, DeviceStates devices) {
        this.devices = devices;
        this.out = wiring.out();
        this.clock = wiring.clock();
    }

    /** {@code by} invited {@code user} to {@code group}: replaces an older invite to it; online devices get it now. */
    void invited(long user, String group, long by, String code, long expiresAtMs) {
        List<HeldInvite> held = byUser.computeIfAbsent(user, key -> new ArrayList<>());
        held.removeIf(invite -> invite.group.equals(group));
        if (held.size() >= MAX_PER_USER) {
            held.remove(0);
        }
        HeldInvite invite = new HeldInvite(group, by, code, expiresAtMs);
        held.add(invite);
        devices.toOnlineDevices(user, frame(invite), out);
    }

    /** The user joined {@code group}: its invite there is used. */
    void accepted(long user, String group) {
        List<HeldInvite> held = byUser.get(user);
        if (held != null) {
            held.removeIf(invite -> invite.group.equals(group));
            if (held.isEmpty()) {
                byUser.remove(user);
            }
        }
    }

    /** A session of the user opened on {@code connection}: it gets every invite still good. */
    void opened(long user, long connection) {
        List<HeldInvite> held = byUser.get(user);
        if (held == null) {
            return;
        }
        long nowMs = clock.time();
        held.removeIf(invite -> nowMs - invite.expiresAtMs >= 0);
        for (HeldInvite invite : held) {
            out.frame(connection, frame(invite));
        }
        if (held.isEmpty()) {
            byUser.remove(user);
        }
    }

    /** Forgets the expired invites of every user; run now and then. */
    void expireAll() {
        long nowMs = clock.time();
        byUser.values().removeIf(held -> {
            held.removeIf(invite -> nowMs - invite.expiresAtMs >= 0);
            return held.isEmpty();
        });
    }

    private Frame frame(HeldInvite invite) {
        return frame.reset(FrameType.GROUP_INVITE)
                .group(invite.group)
                .by(invite.by)
                .invite(invite.code)
                .expiresAt(invite.expiresAtMs);
    }
}
