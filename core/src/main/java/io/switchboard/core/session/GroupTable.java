package io.switchboard.core.session;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.GroupEventKind;
import io.switchboard.core.protocol.ProtocolLimits;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.EpochClock;

/**
 * The groups one owner holds (those whose id hashes to it): membership, admins, and the acceptance of group messages.
 * A group message is stored once here and handed, as one immutable {@link GroupMessage}, to the owner of each member,
 * which queues it for the member's devices; its delivery list goes to the owner of the sender, where the receipts
 * arrive. Not thread-safe: its owner alone calls it.
 *
 * <p>Membership semantics: a member added later does not get earlier messages, a removed member gets no later ones,
 * and a member who leaves or is removed no longer holds back the receipts of messages still pending for it.
 */
public final class GroupTable {
    private static final String NO_GROUP = "no such group";

    private final DeviceDirectory directory;
    private final Outbound out;
    private final Peers peers;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    private final int maxMembers;
    private final Map<String, Group> groups = new HashMap<>();
    /** Highest accepted group message id per sending device (key {@code user * 64 + device}), for de-duplication. */
    private final Long2LongHashMap lastAcceptedId = new Long2LongHashMap(0);

    private final Frame reply = new Frame();
    private final LongArrayList[] byOwner;

    public GroupTable(
            DeviceDirectory directory,
            Outbound out,
            Peers peers,
            EpochClock clock,
            CounterSet<ShardCounter> counters,
            int maxMembers) {
        this.directory = directory;
        this.out = out;
        this.peers = peers;
        this.clock = clock;
        this.counters = counters;
        this.maxMembers = maxMembers;
        this.byOwner = new LongArrayList[peers.owners()];
        for (int i = 0; i < byOwner.length; i++) {
            byOwner[i] = new LongArrayList();
        }
    }

    /** A group frame ({@code group.*}, or a {@code send} or {@code typing} to a group) from a device of {@code user}. */
    public void command(long user, int device, long connection, Frame frame) {
        String id = Owner.groupOf(frame).toString();
        Group group = groups.get(id);
        switch (frame.type()) {
            case SEND -> send(user, device, connection, frame, group);
            case GROUP_CREATE -> create(user, connection, frame, id, group);
            case GROUP_ADD -> add(user, connection, frame, group);
            case GROUP_REMOVE -> remove(user, connection, frame, group);
            case GROUP_LEAVE -> leave(user, connection, frame, group);
            case GROUP_INFO -> info(user, connection, frame, group);
            case TYPING -> typing(user, frame.on(), group);
            default -> throw new IllegalArgumentException("not a group frame: " + frame.type());
        }
    }

    private void create(long user, long connection, Frame frame, String id, Group existing) {
        long req = frame.req();
        if (existing != null) {
            fail(connection, req, ErrorCode.FORBIDDEN, "group " + id + " exists");
            return;
        }
        LongArrayList members = frame.members();
        if (!fits(connection, req, 1, members) || !registered(connection, req, members)) {
            return;
        }
        Group group = new Group(id);
        group.members.add(user);
        group.admins.add(user);
        for (int i = 0, n = members.size(); i < n; i++) {
            group.members.add(members.getLong(i));
        }
        groups.put(id, group);
        counters.increment(ShardCounter.GROUPS);
        counters.increment(ShardCounter.GROUP_CHANGES);
        succeed(connection, req);
        announce(group, GroupEventKind.ADDED, user, group.snapshot(), group.snapshot());
    }

    private void add(long user, long connection, Frame frame, Group group) {
        long req = frame.req();
        LongArrayList members = frame.members();
        if (!admin(user, connection, req, group)
                || !fits(connection, req, group.members.size(), members)
                || !registered(connection, req, members)) {
            return;
        }
        LongHashSet added = new LongHashSet();
        for (int i = 0, n = members.size(); i < n; i++) {
            if (group.members.add(members.getLong(i))) {
                added.add(members.getLong(i));
            }
        }
        group.changed();
        counters.increment(ShardCounter.GROUP_CHANGES);
        succeed(connection, req);
        if (!added.isEmpty()) {
            announce(group, GroupEventKind.ADDED, user, group.snapshot(), sorted(added));
        }
    }

    private void remove(long user, long connection, Frame frame, Group group) {
        long req = frame.req();
        if (!admin(user, connection, req, group)) {
            return;
        }
        LongArrayList members = frame.members();
        LongHashSet removed = new LongHashSet();
        for (int i = 0, n = members.size(); i < n; i++) {
            if (group.members.contains(members.getLong(i))) {
                removed.add(members.getLong(i));
            }
        }
        succeed(connection, req);
        if (!removed.isEmpty()) {
            drop(group, GroupEventKind.REMOVED, user, sorted(removed));
        }
    }

    private void leave(long user, long connection, Frame frame, Group group) {
        long req = frame.req();
        if (!member(user, connection, req, 0, group)) {
            return;
        }
        succeed(connection, req);
        drop(group, GroupEventKind.LEFT, user, new long[] {user});
    }

    /**
     * Takes members out: the remaining members and those leaving hear of it, every owner forgets what the leavers
     * held back, and a group left without an admin gets its lowest-numbered member as admin.
     */
    private void drop(Group group, GroupEventKind kind, long by, long[] leaving) {
        long[] before = group.snapshot();
        for (long member : leaving) {
            group.members.remove(member);
            group.admins.remove(member);
        }
        group.changed();
        counters.increment(ShardCounter.GROUP_CHANGES);
        announce(group, kind, by, before, leaving);
        String id = group.id;
        for (int owner = 0; owner < peers.owners(); owner++) {
            peers.post(owner, target -> target.sessions().membersGone(id, leaving));
        }
        if (group.members.isEmpty()) {
            groups.remove(id);
            counters.decrement(ShardCounter.GROUPS);
        } else if (group.admins.isEmpty()) {
            group.admins.add(group.snapshot()[0]);
        }
    }

    private void info(long user, long connection, Frame frame, Group group) {
        long req = frame.req();
        if (!member(user, connection, req, 0, group)) {
            return;
        }
        reply.reset(FrameType.RESULT).req(req).ok(true);
        for (long member : group.snapshot()) {
            reply.addMember(member);
        }
        for (long admin : sorted(group.admins)) {
            reply.addAdmin(admin);
        }
        out.frame(connection, reply);
    }

    private void send(long user, int device, long connection, Frame frame, Group group) {
        long id = frame.id();
        if (!member(user, connection, 0, id, group)) {
            counters.increment(ShardCounter.MESSAGES_REJECTED);
            return;
        }
        if (frame.envelopeCount() != 1) {
            counters.increment(ShardCounter.MESSAGES_REJECTED);
            out.error(connection, ErrorCode.DEVICES, id, "a group send carries exactly one envelope", 0, 0);
            return;
        }
        long senderKey = user * (ProtocolLimits.MAX_DEVICE + 1) + device;
        if (id <= lastAcceptedId.get(senderKey)) {
            out.ack(connection, id, clock.time());
            counters.increment(ShardCounter.MESSAGES_DUPLICATE);
            return;
        }
        GroupMessage message = new GroupMessage(
                group.id,
                user,
                device,
                id,
                clock.time(),
                frame.envelopeType(0),
                frame.envelopeBody(0),
                frame.hasMedia() ? mediaId(frame) : null,
                frame.mediaSize(),
                group.snapshot());
        lastAcceptedId.put(senderKey, id);
        counters.increment(ShardCounter.GROUP_MESSAGES_ACCEPTED);
        out.ack(connection, id, message.ts());
        // The delivery list first: receipts from the members' owners must find it at the sender's owner.
        peers.post(peers.ownerOfUser(user), target -> target.sessions().track(message));
        long[][] users = split(message.members());
        for (int owner = 0; owner < users.length; owner++) {
            long[] theirs = users[owner];
            if (theirs != null) {
                peers.post(owner, target -> target.sessions().fanOut(message, theirs));
            }
        }
    }

    /** Typing in a group reaches the other members' online devices; from a non-member it is ignored, as never stored. */
    private void typing(long user, boolean on, Group group) {
        if (group == null || !group.members.contains(user)) {
            return;
        }
        long[][] users = split(group.snapshot());
        for (int owner = 0; owner < users.length; owner++) {
            long[] theirs = users[owner];
            if (theirs != null) {
                peers.post(owner, target -> target.sessions().typing(user, theirs, on));
            }
        }
    }

    private static byte[] mediaId(Frame frame) {
        byte[] bytes = new byte[frame.mediaId().length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = frame.mediaId().byteAt(i);
        }
        return bytes;
    }

    /** Tells every member in {@code audience} that {@code changed} joined or went; each member's owner delivers it. */
    private void announce(Group group, GroupEventKind kind, long by, long[] audience, long[] changed) {
        String id = group.id;
        long[][] users = split(audience);
        for (int owner = 0; owner < users.length; owner++) {
            long[] theirs = users[owner];
            if (theirs != null) {
                peers.post(owner, target -> target.sessions().groupEvent(theirs, id, kind, by, changed));
            }
        }
    }

    /** The users by owner: null where an owner has none. */
    private long[][] split(long[] users) {
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

    private boolean registered(long connection, long req, LongArrayList members) {
        for (int i = 0, n = members.size(); i < n; i++) {
            if (directory.deviceMask(members.getLong(i)) == 0) {
                fail(connection, req, ErrorCode.UNKNOWN_RECIPIENT, "no such user " + members.getLong(i));
                return false;
            }
        }
        return true;
    }

    /** Whether {@code current} members plus the new ones (counted at most once each) stay within the limit. */
    private boolean fits(long connection, long req, int current, LongArrayList members) {
        LongHashSet distinct = new LongHashSet();
        for (int i = 0, n = members.size(); i < n; i++) {
            distinct.add(members.getLong(i));
        }
        if (current + distinct.size() > maxMembers) {
            fail(connection, req, ErrorCode.FORBIDDEN, "a group has at most " + maxMembers + " members");
            return false;
        }
        return true;
    }

    private boolean admin(long user, long connection, long req, Group group) {
        if (!member(user, connection, req, 0, group)) {
            return false;
        }
        if (!group.admins.contains(user)) {
            fail(connection, req, ErrorCode.FORBIDDEN, "only an admin changes the members of " + group.id);
            return false;
        }
        return true;
    }

    /** Whether the group exists and has the user; answers the request ({@code req}) or send ({@code id}) if not. */
    private boolean member(long user, long connection, long req, long id, Group group) {
        if (group == null) {
            reject(connection, req, id, ErrorCode.UNKNOWN_RECIPIENT, NO_GROUP);
            return false;
        }
        if (!group.members.contains(user)) {
            reject(connection, req, id, ErrorCode.FORBIDDEN, "not a member of " + group.id);
            return false;
        }
        return true;
    }

    private void reject(long connection, long req, long id, ErrorCode code, String message) {
        if (id != 0) {
            out.error(connection, code, id, message, 0, 0);
        } else {
            fail(connection, req, code, message);
        }
    }

    /**
     * A refused group request: the {@code error} frame that protocol.md promises, then a {@code result} with
     * {@code ok:false} so that the client can match the refusal to its {@code req}.
     */
    private void fail(long connection, long req, ErrorCode code, String message) {
        out.error(connection, code, 0, message, 0, 0);
        out.frame(
                connection,
                reply.reset(FrameType.RESULT).req(req).ok(false).code(code).message(message));
    }

    private void succeed(long connection, long req) {
        out.frame(connection, reply.reset(FrameType.RESULT).req(req).ok(true));
    }

    private static long[] sorted(LongHashSet users) {
        long[] array = new long[users.size()];
        int i = 0;
        for (LongHashSet.LongIterator it = users.iterator(); it.hasNext(); ) {
            array[i++] = it.nextValue();
        }
        Arrays.sort(array);
        return array;
    }

    private static final class Group {
        final String id;
        final LongHashSet members = new LongHashSet();
        final LongHashSet admins = new LongHashSet();
        /** The members, sorted; shared by the messages sent until the next change, so it is never modified. */
        private long[] snapshot;

        Group(String id) {
            this.id = id;
        }

        long[] snapshot() {
            if (snapshot == null) {
                snapshot = sorted(members);
            }
            return snapshot;
        }

        void changed() {
            snapshot = null;
        }
    }
}
