package io.switchboard.simulator.run;

import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.scenario.Scenario;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.collections.IntArrayList;

/**
 * Membership changes during the workload ({@code groups.changesPerSecond}): Poisson arrivals from the seed, each
 * picking a group and a kind: {@code add} (the creator adds a user who is not a member; skipped when the group is at
 * its planned maximum size or holds every user), {@code remove} (the creator removes a member other than itself) or
 * {@code leave} (a member other than the creator leaves); a remove or leave is skipped when it would leave the group
 * with fewer than two members. The creator stays, so the group always has its admin. Same seed, same changes: the
 * schedule's times and groups come from one seeded stream, and the k-th change of a group draws its kind and user from
 * the seed, the group and k alone, so timing never changes what is drawn.
 *
 * <p>Each change is serialized with its group's messages, so that every group message belongs to one membership
 * version the oracle knows: once a change is due the group takes no new messages ({@link #holds}), the request goes
 * only when none of its messages is unanswered, and the group takes messages again once the {@code result} came back
 * and its new version is current. A member who goes is waived in the group's earlier messages from the moment the
 * request is sent ({@link Actors#leaving}), since the server may complete their receipts before the client hears back.
 * When the acting session closes before the result, the creator asks {@code group.info} and the run continues from
 * what the server says: a change not applied is sent again (a remove or leave must go, its member being already
 * waived; an add may only look not applied while it waits for the joining user's owner, and adding a member again is
 * answered ok). The acting session does not end while its request is unanswered. Changes of a group due while one of
 * it is under way wait behind it.
 *
 * <p>Requests are numbered after {@link GroupCreation}'s: {@code 2 × groups + group + 1}, one request in flight per
 * group. Single-threaded: the client loop.
 */
final class MembershipChanges {
    /** Salts the seed so that the changes do not share draws with the groups or the arrivals. */
    private static final long SALT = 0x6368616E676573L;
    /** Draws of a user outside the group before an add is skipped (a group holding nearly every user). */
    private static final int ADD_DRAWS = 64;

    private static final byte ADD = 0;
    private static final byte REMOVE = 1;
    private static final byte LEAVE = 2;

    private static final byte IDLE = 0;
    /** Due: the group takes no messages, and the request waits for its messages in flight and its actor. */
    private static final byte DUE = 1;

    private static final byte SENT = 2;
    /** The acting session closed before the result: the creator is to ask {@code group.info}. */
    private static final byte ASK = 3;

    private static final byte ASKING = 4;

    /** The run's side: its devices' sessions and its connections, and the oracle. */
    interface Actors {
        /** An online device of {@code user}, or -1 after logging one in when none is (when a login may start). */
        int onlineDevice(int user, long nowMs);

        /** Sends a change's request; the session does not end before its result (it counts as a send in flight). */
        void sendChange(int device, Frame request);

        /** A remove or leave of {@code member} is sent: it no longer counts in the group's earlier messages. */
        void leaving(int group, int member);
    }

    /** What the changes did: for {@code summary.json}. */
    record Figures(long added, long removed, long left, long skipped, long refused, long arrivalsHeld, long events) {}

    private final GroupPlan groups;
    private final long seed;
    private final int users;
    private final int maxSize;
    private final double meanGapNs;
    private final SplittableRandom schedule;
    private final int reqBase;
    private final byte[] phase;
    private final byte[] kind;
    /** The user each group's change adds or takes out; -1 when it is to be skipped. */
    private final int[] target;
    /** Messages to each group sent and not yet answered (ack or error). */
    private final int[] sending;
    /** Changes of each group due behind the one under way. */
    private final int[] queued;
    /** Changes of each group drawn: the k of its next draw. */
    private final int[] drawn;
    /** The device each group's request went from. */
    private final int[] actor;
    /** Groups whose change waits to be sent (DUE or ASK). */
    private final IntArrayList due = new IntArrayList();
    /** Groups with a request in flight (SENT or ASKING). */
    private final IntArrayList active = new IntArrayList();

    private final Frame request = new Frame();
    private long nextNs = Long.MAX_VALUE;
    private final long[] made = new long[3];
    private long skipped;
    private long refused;
    private long arrivalsHeld;
    private long events;

    /** The changes {@code scenario} asks of the groups in {@code groups}. */
    static MembershipChanges of(Scenario scenario, GroupPlan groups) {
        return new MembershipChanges(
                scenario.seed(),
                scenario.groups().changesPerSecond(),
                groups,
                scenario.users(),
                scenario.groups().maxSize());
    }

    MembershipChanges(long seed, double perSecond, GroupPlan groups, int users, int maxSize) {
        this.groups = groups;
        this.seed = seed;
        this.users = users;
        this.maxSize = maxSize;
        this.meanGapNs = perSecond > 0 ? 1e9 / perSecond : 0;
        this.schedule = new SplittableRandom(seed ^ SALT);
        this.reqBase = 2 * groups.count();
        int count = groups.count();
        phase = new byte[count];
        kind = new byte[count];
        target = new int[count];
        sending = new int[count];
        queued = new int[count];
        drawn = new int[count];
        actor = new int[count];
    }

    /** The workload starts at {@code startNs}: the first change is due a seeded gap later (never without a rate). */
    void start(long startNs) {
        nextNs = meanGapNs > 0 ? startNs + gapNs() : Long.MAX_VALUE;
    }

    private long gapNs() {
        return (long) Mix.exponential(schedule.nextDouble(), meanGapNs);
    }

    /** Whether the group takes no new messages now: a change of it is due or under way. */
    boolean holds(int group) {
        return phase[group] != IDLE;
    }

    /** A group arrival was not sent because its group {@link #holds}. */
    void held() {
        arrivalsHeld++;
    }

    /** A message to the group was sent. */
    void sent(int group) {
        sending[group]++;
    }

    /** A message to the group was acknowledged or refused, or will never be answered (its session closed). */
    void answered(int group) {
        sending[group]--;
    }

    /** The oracle's message {@code index} was acknowledged or refused: if it went to a group, as {@link #answered}. */
    void answeredMessage(Oracle oracle, int index) {
        if (oracle.isGroup(index)) {
            answered(oracle.groupOf(index));
        }
    }

    void eventReceived() {
        events++;
    }

    /** Whether a {@code result} with this req answers one of these changes' requests. */
    boolean owns(long req) {
        return req > reqBase;
    }

    /**
     * Makes the changes due by {@code nowNs} (none from {@code endNs} on), then sends every waiting request whose group
     * has no message in flight and whose actor is online.
     */
    void sendDue(long nowNs, long endNs, long nowMs, Actors actors) {
        while (nextNs <= nowNs && nextNs < endNs) {
            int group = schedule.nextInt(groups.count());
            if (phase[group] == IDLE) {
                draw(group);
            } else {
                queued[group]++;
            }
            nextNs += gapNs();
        }
        for (int i = due.size() - 1; i >= 0; i--) {
            int group = due.getInt(i);
            if (sending[group] == 0 && dispatch(group, nowMs, actors)) {
                due.removeAt(i);
            }
        }
    }

    /**
     * The group's next change is due: its kind and user, from the seed, the group and its change count alone. The
     * members cannot change before it is sent, since the group's changes go one at a time.
     */
    private void draw(int group) {
        SplittableRandom draws = new SplittableRandom(Mix.mix(seed ^ SALT ^ ((long) group << 32) ^ drawn[group]++));
        int[] members = groups.members(group);
        int creator = groups.creator(group);
        kind[group] = (byte) draws.nextInt(3);
        target[group] = -1;
        if (kind[group] == ADD) {
            for (int attempt = 0; attempt < ADD_DRAWS && members.length < Math.min(maxSize, users); attempt++) {
                int user = draws.nextInt(users);
                if (Arrays.binarySearch(members, user) < 0) {
                    target[group] = user;
                    break;
                }
            }
        } else if (members.length > 2) {
            // A member other than the creator: draw among the others, stepping over the creator's position.
            int place = draws.nextInt(members.length - 1);
            target[group] = members[place >= Arrays.binarySearch(members, creator) ? place + 1 : place];
        }
        phase[group] = DUE;
        due.addInt(group);
    }

    /** Sends the group's request, or skips its change; false when it has to wait for its actor. */
    private boolean dispatch(int group, long nowMs, Actors actors) {
        if (phase[group] == DUE && target[group] < 0) {
            skipped++;
            finish(group);
            return true;
        }
        boolean asking = phase[group] == ASK;
        int device = actors.onlineDevice(asking || kind[group] != LEAVE ? groups.creator(group) : target[group], nowMs);
        if (device < 0) {
            return false;
        }
        long req = reqBase + group + 1L;
        long user = groups.userId(target[group]);
        if (asking) {
            request.reset(FrameType.GROUP_INFO).req(req).group(groups.id(group));
        } else if (kind[group] == ADD) {
            request.reset(FrameType.GROUP_ADD).req(req).group(groups.id(group)).addMember(user);
        } else {
            request.reset(kind[group] == REMOVE ? FrameType.GROUP_REMOVE : FrameType.GROUP_LEAVE)
                    .req(req)
                    .group(groups.id(group));
            if (kind[group] == REMOVE) {
                request.addMember(user);
            }
            actors.leaving(group, target[group]);
        }
        actors.sendChange(device, request);
        phase[group] = asking ? ASKING : SENT;
        actor[group] = device;
        active.addInt(group);
        return true;
    }

    /**
     * The result of a request of these changes ({@link #owns}).
     *
     * @throws IllegalStateException for a result of no request in flight, a refused remove, leave or {@code
     *     group.info}: the oracle already waived the member, so the run cannot go on exactly
     */
    void result(Frame result) {
        int group = (int) (result.req() - reqBase - 1);
        if (group >= groups.count() || !active.removeInt(group)) {
            throw new IllegalStateException("a result for no membership change in flight: " + result);
        }
        if (!result.ok() && (phase[group] == ASKING || kind[group] != ADD)) {
            throw new IllegalStateException("membership request refused: " + result);
        }
        if (phase[group] == SENT) {
            if (result.ok()) {
                apply(group);
            } else if (result.code() == ErrorCode.UNAVAILABLE) {
                // Another add of the group still waits for its joining users' owners: try again.
                sendAgain(group);
            } else {
                refused++;
                finish(group);
            }
        } else if (result.members().containsLong(groups.userId(target[group])) == (kind[group] == ADD)) {
            apply(group);
        } else {
            // Not applied as far as group.info can tell. A remove or leave must go (the member is already waived);
            // an add may still be waiting for the joining user's owner, which info does not see, so it goes again
            // too: adding a member is answered ok.
            sendAgain(group);
        }
    }

    private void sendAgain(int group) {
        phase[group] = DUE;
        due.addInt(group);
    }

    private void apply(int group) {
        int[] before = groups.members(group);
        int[] after;
        if (kind[group] == ADD) {
            after = Arrays.copyOf(before, before.length + 1);
            after[before.length] = target[group];
            Arrays.sort(after);
        } else {
            after = Arrays.stream(before).filter(m -> m != target[group]).toArray();
        }
        groups.changed(group, after);
        made[kind[group]]++;
        finish(group);
    }

    /** The change is over: the group takes messages again, or its next change is due. */
    private void finish(int group) {
        phase[group] = IDLE;
        if (queued[group] > 0) {
            queued[group]--;
            draw(group);
        }
    }

    /** The session of {@code device} closed: its requests' outcomes are to be asked once the creator is online. */
    void closed(int device) {
        for (int i = active.size() - 1; i >= 0; i--) {
            int group = active.getInt(i);
            if (actor[group] == device) {
                active.removeAt(i);
                phase[group] = ASK;
                due.addInt(group);
            }
        }
    }

    Figures figures() {
        return new Figures(made[ADD], made[REMOVE], made[LEAVE], skipped, refused, arrivalsHeld, events);
    }
}
