package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameAddress;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.GroupEventKind;
import io.switchboard.core.protocol.ProtocolLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
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
    private static final String STORAGE_UNAVAILABLE = "the server cannot store this right now; retry later";

    private final DeviceDirectory directory;
    private final Outbound out;
    private final Peers peers;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    private final int maxMembers;
    private final int maxGroupsPerUser;
    private final Journal journal;
    /** Creates and adds waiting for the joining users' owners, by group id: one at a time per group. */
    private final Map<String, Joining> joining = new HashMap<>();

    private final Map<String, Group> groups = new HashMap<>();
    /** Highest accepted group message id per sending device (key {@code user * 64 + device}), for de-duplication. */
    private final Long2LongHashMap lastAcceptedId = new Long2LongHashMap(0);

    /** Stored group messages read back at start, by sending device and id, until {@link #join}. */
    private final Long2ObjectHashMap<Long2ObjectHashMap<Recovered>> recovered = new Long2ObjectHashMap<>();

    private final List<Recovered> recoveredInOrder = new ArrayList<>();

    private final Frame reply = new Frame();
    private final LongArrayList[] byOwner;

    public GroupTable(
            DeviceDirectory directory,
            Outbound out,
            Peers peers,
            EpochClock clock,
            CounterSet<ShardCounter> counters,
            int maxMembers,
            int maxGroupsPerUser,
            Journal journal) {
        this.directory = directory;
        this.out = out;
        this.peers = peers;
        this.clock = clock;
        this.counters = counters;
        this.maxMembers = maxMembers;
        this.maxGroupsPerUser = maxGroupsPerUser;
        this.journal = journal;
        this.byOwner = new LongArrayList[peers.owners()];
        for (int i = 0; i < byOwner.length; i++) {
            byOwner[i] = new LongArrayList();
        }
    }

    /** A group frame ({@code group.*}, or a {@code send} or {@code typing} to a group) from a device of {@code user}. */
    public void command(long user, int device, long connection, Frame frame) {
        String id = FrameAddress.groupOf(frame).toString();
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
        if (existing != null || joining.containsKey(id)) {
            fail(connection, req, ErrorCode.FORBIDDEN, "group " + id + " exists");
            return;
        }
        LongArrayList members = frame.members();
        if (!fits(connection, req, 1, members) || !registered(connection, req, members)) {
            return;
        }
        LongHashSet all = new LongHashSet();
        all.add(user);
        members.forEachOrderedLong(all::add);
        reserve(new Joining(new Group(id), true, user, connection, req, sorted(all)));
    }

    private void add(long user, long connection, Frame frame, Group group) {
        long req = frame.req();
        LongArrayList members = frame.members();
        if (!admin(user, connection, req, group)
                || !fits(connection, req, group.members.length, members)
                || !registered(connection, req, members)) {
            return;
        }
        if (joining.containsKey(group.id)) {
            fail(connection, req, ErrorCode.UNAVAILABLE, "members are being added to " + group.id + "; retry");
            return;
        }
        LongHashSet added = new LongHashSet();
        members.forEachOrderedLong(member -> {
            if (!group.has(member)) {
                added.add(member);
            }
        });
        if (added.isEmpty()) {
            succeed(connection, req);
            return;
        }
        reserve(new Joining(group, false, user, connection, req, sorted(added)));
    }

    /**
     * First step of a create or add: the owner of each joining user counts the user's groups and keeps a place if
     * the user has fewer than the limit; {@link #joined} takes the answers.
     */
    private void reserve(Joining request) {
        String id = request.group.id;
        joining.put(id, request);
        long[][] users = split(request.users);
        int self = peers.self();
        for (int owner = 0; owner < users.length; owner++) {
            long[] theirs = users[owner];
            if (theirs != null) {
                request.awaiting++;
                peers.post(owner, target -> target.sessions().joinGroups(id, theirs, maxGroupsPerUser, self));
            }
        }
    }

    /** An owner of joining users answered: those it refused (at the limit), and those it kept a place for. */
    void joined(String id, long[] refused, long[] reserved) {
        Joining request = joining.get(id);
        for (long user : refused) {
            request.refused.addLong(user);
        }
        for (long user : reserved) {
            request.reserved.addLong(user);
        }
        if (--request.awaiting > 0) {
            return;
        }
        joining.remove(id);
        Group group = request.group;
        if (!request.refused.isEmpty()) {
            release(request.reserved);
            fail(
                    request.connection,
                    request.req,
                    ErrorCode.FORBIDDEN,
                    "user " + request.refused.getLong(0) + " is in " + maxGroupsPerUser + " groups already");
        } else if (request.creating) {
            if (!change(request.connection, request.req, group, request.users, new long[] {request.by})) {
                release(request.reserved);
                return;
            }
            groups.put(id, group);
            counters.increment(ShardCounter.GROUPS);
            succeed(request.connection, request.req);
            announce(group, GroupEventKind.ADDED, request.by, group.members, group.members);
        } else if (groups.get(id) != group) {
            release(request.reserved);
            fail(request.connection, request.req, ErrorCode.UNKNOWN_RECIPIENT, NO_GROUP);
        } else {
            LongHashSet all = new LongHashSet();
            for (long member : group.members) {
                all.add(member);
            }
            for (long member : request.users) {
                all.add(member);
            }
            if (!change(request.connection, request.req, group, sorted(all), group.admins)) {
                release(request.reserved);
                return;
            }
            succeed(request.connection, request.req);
            announce(group, GroupEventKind.ADDED, request.by, group.members, request.users);
        }
    }

    /** Gives back the places kept for users who did not join after all. */
    private void release(LongArrayList users) {
        long[][] split = split(users.toLongArray());
        for (int owner = 0; owner < split.length; owner++) {
            long[] theirs = split[owner];
            if (theirs != null) {
                peers.post(owner, target -> target.sessions().leftGroups(theirs));
            }
        }
    }

    /** A create or add waiting for the joining users' owners. */
    private static final class Joining {
        final Group group;
        final boolean creating;
        final long by;
        final long connection;
        final long req;
        /** The users joining, sorted (for a create: every member, the creator included). */
        final long[] users;

        final LongArrayList refused = new LongArrayList();
        final LongArrayList reserved = new LongArrayList();
        int awaiting;

        Joining(Group group, boolean creating, long by, long connection, long req, long[] users) {
            this.group = group;
            this.creating = creating;
            this.by = by;
            this.connection = connection;
            this.req = req;
            this.users = users;
        }
    }

    private void remove(long user, long connection, Frame frame, Group group) {
        long req = frame.req();
        if (!admin(user, connection, req, group)) {
            return;
        }
        LongHashSet removed = new LongHashSet();
        frame.members().forEachOrderedLong(member -> {
            if (group.has(member)) {
                removed.add(member);
            }
        });
        if (removed.isEmpty()) {
            succeed(connection, req);
            return;
        }
        drop(connection, req, group, GroupEventKind.REMOVED, user, sorted(removed));
    }

    private void leave(long user, long connection, Frame frame, Group group) {
        if (member(user, connection, frame.req(), 0, group)) {
            drop(connection, frame.req(), group, GroupEventKind.LEFT, user, new long[] {user});
        }
    }

    /**
     * Takes members out: the remaining members and those leaving hear of it, every owner forgets what the leavers
     * held back, and a group left without an admin gets its lowest-numbered member as admin. An empty group is gone.
     */
    private void drop(long connection, long req, Group group, GroupEventKind kind, long by, long[] leaving) {
        long[] before = group.members;
        long[] members = without(group.members, leaving);
        long[] admins = without(group.admins, leaving);
        if (admins.length == 0 && members.length > 0) {
            admins = new long[] {members[0]};
        }
        if (!change(connection, req, group, members, admins)) {
            return;
        }
        succeed(connection, req);
        announce(group, kind, by, before, leaving);
        String id = group.id;
        for (int owner = 0; owner < peers.owners(); owner++) {
            peers.post(owner, target -> target.sessions().membersGone(id, leaving));
        }
        if (members.length == 0) {
            groups.remove(id);
            counters.decrement(ShardCounter.GROUPS);
        }
    }

    /** Journals the group's new members and admins, then takes them; answers {@code unavailable} when it cannot. */
    private boolean change(long connection, long req, Group group, long[] members, long[] admins) {
        int cycle = journal.groupState(group.id, members, admins);
        if (cycle == Journal.FAILED) {
            fail(connection, req, ErrorCode.UNAVAILABLE, STORAGE_UNAVAILABLE);
            return false;
        }
        group.set(members, admins, cycle, journal);
        counters.increment(ShardCounter.GROUP_CHANGES);
        return true;
    }

    private static long[] without(long[] users, long[] leaving) {
        return Arrays.stream(users)
                .filter(user -> Arrays.binarySearch(leaving, user) < 0)
                .toArray();
    }

    private void info(long user, long connection, Frame frame, Group group) {
        long req = frame.req();
        if (!member(user, connection, req, 0, group)) {
            return;
        }
        reply.reset(FrameType.RESULT).req(req).ok(true);
        for (long member : group.members) {
            reply.addMember(member);
        }
        for (long admin : group.admins) {
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
                peers.self(),
                user,
                device,
                id,
                clock.time(),
                frame.envelopeType(0),
                frame.envelopeBody(0),
                frame.hasMedia() ? mediaId(frame) : null,
                frame.mediaSize(),
                group.members);
        long[][] users = membersByOwner(group);
        int cycle = journal.groupMessage(message, group.owners);
        if (cycle == Journal.FAILED) {
            counters.increment(ShardCounter.MESSAGES_REJECTED);
            out.error(connection, ErrorCode.UNAVAILABLE, id, STORAGE_UNAVAILABLE, 0, 0);
            return;
        }
        message.cycle(cycle);
        lastAcceptedId.put(senderKey, id);
        counters.increment(ShardCounter.GROUP_MESSAGES_ACCEPTED);
        out.ack(connection, id, message.ts());
        // The delivery list first: receipts from the members' owners must find it at the sender's owner.
        peers.post(peers.ownerOfUser(user), target -> target.sessions().track(message));
        for (int owner = 0; owner < users.length; owner++) {
            long[] theirs = users[owner];
            if (theirs != null) {
                peers.post(owner, target -> target.sessions().fanOut(message, theirs));
            }
        }
    }

    /** Typing in a group reaches the other members' online devices; from a non-member it is ignored, as never stored. */
    private void typing(long user, boolean on, Group group) {
        if (group == null || !group.has(user)) {
            return;
        }
        long[][] users = membersByOwner(group);
        for (int owner = 0; owner < users.length; owner++) {
            long[] theirs = users[owner];
            if (theirs != null) {
                peers.post(owner, target -> target.sessions().typing(user, theirs, on));
            }
        }
    }

    private static int owners(long[][] users) {
        int owners = 0;
        for (long[] theirs : users) {
            if (theirs != null) {
                owners++;
            }
        }
        return owners;
    }

    /** The owner {@code by} has no use left for the stored copy: everything it queued was acknowledged or dropped. */
    public void released(GroupMessage message, int by) {
        journal.groupReleased(message, by);
    }

    /**
     * Rewrites the state of every group last written before the cycle now being written, so that no group holds an
     * old journal file forever (the files go oldest first, once nothing in them is held). Run now and then.
     */
    public void refresh() {
        int current = journal.cycle();
        for (Group group : groups.values()) {
            if (group.cycle != Journal.FAILED && group.cycle < current) {
                int cycle = journal.groupState(group.id, group.members, group.admins);
                if (cycle != Journal.FAILED) {
                    group.set(group.members, group.admins, cycle, journal);
                }
            }
        }
    }

    void onGroupState(String id, long[] members, long[] admins, int cycle) {
        Group group = groups.get(id);
        if (group == null) {
            if (members.length == 0) {
                return;
            }
            group = new Group(id);
            groups.put(id, group);
            counters.increment(ShardCounter.GROUPS);
        }
        group.set(members, admins, cycle, journal);
        if (members.length == 0) {
            groups.remove(id);
            counters.decrement(ShardCounter.GROUPS);
        }
    }

    void onGroupMessage(GroupMessage message) {
        long sender = message.senderKey();
        lastAcceptedId.put(sender, Math.max(lastAcceptedId.get(sender), message.id()));
        Recovered entry = new Recovered(message);
        recovered.computeIfAbsent(sender, key -> new Long2ObjectHashMap<>()).put(message.id(), entry);
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
     * each stored message still needed somewhere is settled with each owner of
     * its members. An owner whose queue entries were all acknowledged releases it now (its release did not reach the
     * journal); one whose fan-out never reached its journal gets it again (members who had it get it twice: at least
     * once); and its delivery list is rebuilt at the sender's owner, with the members whose devices all have it marked
     * delivered. Reads before the restart are not known again.
     */
    public void join(Owner[] owners) {
        for (Group group : groups.values()) {
            for (long member : group.members) {
                owners[peers.ownerOfUser(member)].sessions().countGroup(member);
            }
        }
        // In the order they were stored: what is fanned out again keeps each sender's order.
        recoveredInOrder.forEach(entry -> join(entry, owners));
        recoveredInOrder.clear();
        recovered.clear();
    }

    private void join(Recovered entry, Owner[] owners) {
        GroupMessage message = entry.message;
        long[][] users = split(message.members());
        boolean pending = false;
        for (int owner = 0; owner < users.length; owner++) {
            if (users[owner] == null || entry.releasedBy.contains(owner)) {
                continue;
            }
            SessionTable members = owners[owner].sessions();
            GroupCopy copy = members.recoveredCopy(message);
            if (copy == null) {
                members.fanOut(message, users[owner]);
                pending = true;
            } else if (copy.done()) {
                journal.groupReleased(message, owner);
            } else {
                pending = true;
            }
        }
        if (pending) {
            owners[peers.ownerOfUser(message.senderUser())]
                    .sessions()
                    .track(
                            message,
                            member -> !owners[peers.ownerOfUser(member)]
                                    .sessions()
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

    /**
     * The group's members by owner, split once per membership (every send and typing frame uses it): the arrays are
     * shared by the tasks that carry them, so they are never modified.
     */
    private long[][] membersByOwner(Group group) {
        if (group.byOwner == null) {
            group.byOwner = split(group.members);
            group.owners = owners(group.byOwner);
        }
        return group.byOwner;
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
        if (Arrays.binarySearch(group.admins, user) < 0) {
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
        if (!group.has(user)) {
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

    /** A group as its owner holds it. Its arrays are replaced on a change, never modified. */
    private static final class Group {
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

        Group(String id) {
            this.id = id;
        }

        boolean has(long user) {
            return Arrays.binarySearch(members, user) >= 0;
        }

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
}
