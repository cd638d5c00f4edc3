package io.switchboard.core.owner;

import io.switchboard.core.config.RateLimit;
import io.switchboard.core.journal.Journal;
import io.switchboard.core.limits.LimitKind;
import io.switchboard.core.limits.TokenBucket;
import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.GroupEventKind;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.EpochClock;

/**
 * Membership of the groups one owner holds: create, add, remove, leave, info and joining by invite, each change
 * journaled before it is taken and announced to the members. A create or add does not add a user whose privacy setting
 * refuses the admin: it invites them instead ({@link GroupInvites}), and they join by accepting. A member added later
 * does not get earlier messages, a removed member gets no later ones, and a member who goes no longer holds back the
 * receipts of messages still pending for it. Owner thread only.
 */
final class GroupMembership {
    private static final String STORAGE_UNAVAILABLE = "the server cannot store this right now; retry later";
    private static final String NO_INVITE =
            "no such invite: unknown, used, replaced, expired, or its admin is no longer one";
    private static final long[] NOBODY = new long[0];

    private final Groups groups;
    private final GroupReplies replies;
    private final GroupInvites invites;
    private final DeviceDirectory directory;
    private final Peers peers;
    private final CounterSet<ShardCounter> counters;
    private final Journal journal;
    private final int maxMembers;
    private final int maxGroupsPerUser;
    private final RateLimit groupEvents;
    private final EpochClock clock;
    /** Creates and adds waiting for the joining users' owners, by group id: one at a time per group. */
    private final Map<String, Joining> joining = new HashMap<>();

    GroupMembership(OwnerWiring wiring, OwnerRules rules, Groups groups, GroupReplies replies, GroupInvites invites) {
        this.groups = groups;
        this.replies = replies;
        this.invites = invites;
        this.directory = wiring.directory();
        this.peers = wiring.peers();
        this.counters = wiring.counters();
        this.journal = wiring.journal();
        this.maxMembers = rules.maxGroupMembers();
        this.maxGroupsPerUser = rules.maxGroupsPerUser();
        this.groupEvents = rules.groupEvents();
        this.clock = wiring.clock();
    }

    /** A {@code group.*} request from {@code user} about the group {@code id} ({@code group}: null if none). */
    void command(long user, long connection, Frame frame, String id, Group group) {
        long req = frame.req();
        switch (frame.type()) {
            case GROUP_CREATE -> create(user, connection, req, frame.members(), id, group);
            case GROUP_ADD -> add(user, connection, req, frame.members(), group);
            case GROUP_REMOVE -> remove(user, connection, req, frame.members(), group);
            case GROUP_LEAVE -> {
                if (replies.member(user, connection, req, 0, group)) {
                    drop(connection, req, group, GroupEventKind.LEFT, user, new long[] {user});
                }
            }
            case GROUP_INFO -> {
                if (replies.member(user, connection, req, 0, group)) {
                    replies.info(connection, req, group);
                }
            }
            case GROUP_JOIN -> join(user, connection, req, frame.invite().toString(), group);
            default -> throw new IllegalArgumentException("not a group request: " + frame.type());
        }
    }

    private void create(long user, long connection, long req, LongArrayList members, String id, Group existing) {
        if (existing != null || joining.containsKey(id)) {
            replies.fail(connection, req, ErrorCode.FORBIDDEN, "group " + id + " exists");
            return;
        }
        if (!fits(connection, req, 1, members) || !registered(connection, req, members)) {
            return;
        }
        LongHashSet all = new LongHashSet();
        LongHashSet invited = new LongHashSet();
        all.add(user);
        members.forEachOrderedLong(member -> {
            if (member == user || directory.acceptsGroupAdd(member, user)) {
                all.add(member);
            } else {
                invited.add(member);
            }
        });
        reserve(new Joining(new Group(id), true, user, connection, req, sorted(all), sorted(invited), null));
    }

    private void add(long user, long connection, long req, LongArrayList members, Group group) {
        if (!replies.admin(user, connection, req, group)
                || !fits(connection, req, group.members.length, members)
                || !registered(connection, req, members)) {
            return;
        }
        if (joining.containsKey(group.id)) {
            replies.fail(connection, req, ErrorCode.UNAVAILABLE, "members are being added to " + group.id + "; retry");
            return;
        }
        LongHashSet added = new LongHashSet();
        LongHashSet invited = new LongHashSet();
        members.forEachOrderedLong(member -> {
            if (!group.has(member)) {
                (directory.acceptsGroupAdd(member, user) ? added : invited).add(member);
            }
        });
        if (added.isEmpty() && invited.isEmpty()) {
            replies.succeed(connection, req, NOBODY);
            return;
        }
        // The members hear of those added; each invited user gets an invite.
        if (!withinBudget(connection, req, group, group.members.length + added.size() + invited.size())) {
            return;
        }
        if (added.isEmpty()) {
            long[] asked = sorted(invited);
            invites.invite(group, user, asked);
            invites.persist(group);
            replies.succeed(connection, req, asked);
            return;
        }
        reserve(new Joining(group, false, user, connection, req, sorted(added), sorted(invited), null));
    }

    /**
     * {@code group.join}: a user accepts the invite {@code code} to the group and joins it as the admin who invited
     * them would have added them; a member already is one, and their invite is used up.
     */
    private void join(long user, long connection, long req, String code, Group group) {
        if (group == null) {
            replies.fail(connection, req, ErrorCode.UNKNOWN_RECIPIENT, GroupReplies.NO_GROUP);
            return;
        }
        if (group.has(user)) {
            if (invites.used(group, user)) {
                invites.persist(group);
            }
            replies.succeed(connection, req, NOBODY);
            return;
        }
        GroupInvite invite = invites.valid(group, user, code);
        if (invite == null) {
            replies.fail(connection, req, ErrorCode.FORBIDDEN, NO_INVITE);
            return;
        }
        if (joining.containsKey(group.id)) {
            replies.fail(connection, req, ErrorCode.UNAVAILABLE, "members are being added to " + group.id + "; retry");
            return;
        }
        if (!fits(connection, req, group.members.length + 1)
                || !withinBudget(connection, req, group, group.members.length + 1)) {
            return;
        }
        reserve(new Joining(group, false, invite.by(), connection, req, new long[] {user}, NOBODY, code));
    }

    /**
     * First step of a create or add: the owner of each joining user counts the user's groups and keeps a place if
     * the user has fewer than the limit; {@link #joined} takes the answers.
     */
    private void reserve(Joining request) {
        String id = request.group.id;
        joining.put(id, request);
        long[][] users = groups.split(request.users);
        int self = peers.self();
        int limit = maxGroupsPerUser;
        for (int owner = 0; owner < users.length; owner++) {
            long[] theirs = users[owner];
            if (theirs != null) {
                request.awaiting++;
                peers.post(owner, target -> target.groupFanout().joinGroups(id, theirs, limit, self));
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
            replies.fail(
                    request.connection,
                    request.req,
                    ErrorCode.FORBIDDEN,
                    "user " + request.refused.getLong(0) + " is in " + maxGroupsPerUser + " groups already");
        } else if (request.creating) {
            if (!change(request.connection, request.req, group, request.users, new long[] {request.by})) {
                release(request.reserved);
                return;
            }
            groups.add(group);
            invites.invite(group, request.by, request.invited);
            if (request.invited.length > 0) {
                invites.persist(group);
            }
            replies.succeed(request.connection, request.req, request.invited);
            announce(group, GroupEventKind.ADDED, request.by, group.members, group.members);
        } else if (groups.get(id) != group) {
            release(request.reserved);
            replies.fail(request.connection, request.req, ErrorCode.UNKNOWN_RECIPIENT, GroupReplies.NO_GROUP);
        } else if (request.invite != null && invites.valid(group, request.users[0], request.invite) == null) {
            // Its admin was demoted, or it expired, while the joining user's owner answered.
            release(request.reserved);
            replies.fail(request.connection, request.req, ErrorCode.FORBIDDEN, NO_INVITE);
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
            // Whoever joins, by an invite or an add of a contact, has no more use for an invite to the group.
            boolean changed = request.invited.length > 0;
            for (long user : request.users) {
                changed |= invites.used(group, user);
            }
            invites.invite(group, request.by, request.invited);
            if (changed) {
                invites.persist(group);
            }
            replies.succeed(request.connection, request.req, request.invited);
            announce(group, GroupEventKind.ADDED, request.by, group.members, request.users);
        }
    }

    /** Gives back the places kept for users who did not join after all. */
    private void release(LongArrayList users) {
        long[][] split = groups.split(users.toLongArray());
        for (int owner = 0; owner < split.length; owner++) {
            long[] theirs = split[owner];
            if (theirs != null) {
                peers.post(owner, target -> target.groupFanout().leftGroups(theirs));
            }
        }
    }

    /** A create, add or join waiting for the joining users' owners. */
    private static final class Joining {
        final Group group;
        final boolean creating;
        /** The admin who adds the users (for a join: who invited the user). */
        final long by;

        final long connection;
        final long req;
        /** The users joining, sorted (for a create: every member, the creator included; for a join: the one). */
        final long[] users;
        /** The users to invite once the change is made, their privacy having refused {@link #by}; sorted. */
        final long[] invited;
        /** For a join, the invite's code; null for a create or add. */
        final String invite;

        final LongArrayList refused = new LongArrayList();
        final LongArrayList reserved = new LongArrayList();
        int awaiting;

        Joining(
                Group group,
                boolean creating,
                long by,
                long connection,
                long req,
                long[] users,
                long[] invited,
                String invite) {
            this.group = group;
            this.creating = creating;
            this.by = by;
            this.connection = connection;
            this.req = req;
            this.users = users;
            this.invited = invited;
            this.invite = invite;
        }
    }

    private void remove(long user, long connection, long req, LongArrayList members, Group group) {
        if (!replies.admin(user, connection, req, group)) {
            return;
        }
        LongHashSet removed = new LongHashSet();
        members.forEachOrderedLong(member -> {
            if (group.has(member)) {
                removed.add(member);
            }
        });
        if (removed.isEmpty()) {
            replies.succeed(connection, req, NOBODY);
            return;
        }
        if (!withinBudget(connection, req, group, group.members.length)) {
            return;
        }
        drop(connection, req, group, GroupEventKind.REMOVED, user, sorted(removed));
    }

    /**
     * Takes what an add or remove costs from the group's budget: every member who hears of it, which only the group's
     * owner knows (a connection's own budget counts the members its frame names). Answers {@code rate-limited} when
     * the budget is short; a leave is never charged, since a member must always be able to go.
     */
    private boolean withinBudget(long connection, long req, Group group, int notified) {
        long waitNs = group.changeBudget.take(groupEvents, notified, clock.time() * 1_000_000);
        if (waitNs == 0) {
            return true;
        }
        counters.increment(ShardCounter.REFUSED_GROUP_EVENTS);
        replies.rateLimited(connection, req, TokenBucket.retryAfterMs(waitNs), LimitKind.GROUP_EVENTS.refusal);
        return false;
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
        replies.succeed(connection, req, NOBODY);
        announce(group, kind, by, before, leaving);
        String id = group.id;
        for (int owner = 0; owner < peers.owners(); owner++) {
            peers.post(owner, target -> target.groupFanout().membersGone(id, leaving));
        }
        if (members.length == 0) {
            groups.remove(id);
        }
    }

    /** Journals the group's new members and admins, then takes them; answers {@code unavailable} when it cannot. */
    private boolean change(long connection, long req, Group group, long[] members, long[] admins) {
        int cycle = journal.groupState(group.id, members, admins, GroupInvites.of(group));
        if (cycle == Journal.FAILED) {
            replies.fail(connection, req, ErrorCode.UNAVAILABLE, STORAGE_UNAVAILABLE);
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

    /** Tells every member in {@code audience} that {@code changed} joined or went; each member's owner delivers it. */
    private void announce(Group group, GroupEventKind kind, long by, long[] audience, long[] changed) {
        String id = group.id;
        long[][] users = groups.split(audience);
        for (int owner = 0; owner < users.length; owner++) {
            long[] theirs = users[owner];
            if (theirs != null) {
                peers.post(owner, target -> target.relay().groupEvent(theirs, id, kind, by, changed));
            }
        }
    }

    private boolean registered(long connection, long req, LongArrayList members) {
        for (int i = 0, n = members.size(); i < n; i++) {
            if (directory.deviceMask(members.getLong(i)) == 0) {
                replies.fail(connection, req, ErrorCode.UNKNOWN_RECIPIENT, "no such user " + members.getLong(i));
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
        return fits(connection, req, current + distinct.size());
    }

    /** Whether a group of {@code members} stays within the limit; answers {@code forbidden} if not. */
    private boolean fits(long connection, long req, int members) {
        if (members > maxMembers) {
            replies.fail(connection, req, ErrorCode.FORBIDDEN, "a group has at most " + maxMembers + " members");
            return false;
        }
        return true;
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

    /**
     * Rewrites the state of every group last written before the cycle now being written, so that no group holds an
     * old journal file forever (the files go oldest first, once nothing in them is held). Run now and then.
     */
    void refresh() {
        int current = journal.cycle();
        for (Group group : groups.all()) {
            if (group.cycle != Journal.FAILED && group.cycle < current) {
                int cycle = journal.groupState(group.id, group.members, group.admins, GroupInvites.of(group));
                if (cycle != Journal.FAILED) {
                    group.set(group.members, group.admins, cycle, journal);
                }
            }
        }
    }

    /** Replay: a group's state as last journaled; no members means it is gone. */
    void onGroupState(String id, long[] members, long[] admins, List<GroupInvite> invited, int cycle) {
        Group group = groups.get(id);
        if (group == null) {
            if (members.length == 0) {
                return;
            }
            group = new Group(id);
            groups.add(group);
        }
        group.set(members, admins, cycle, journal);
        invites.restore(group, invited);
        if (members.length == 0) {
            groups.remove(id);
        }
    }
}
