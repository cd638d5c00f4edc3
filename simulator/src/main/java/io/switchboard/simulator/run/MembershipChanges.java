package io.switchboard.simulator.run;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.VirtualClients;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.agrona.collections.IntArrayList;

/**
 * Membership changes during the workload ({@code groups.changesPerSecond}): Poisson arrivals from the seed, each
 * picking a group, in which the creator adds a user who is not a member (skipped when the group is at its planned
 * maximum size, or holds every user). Same seed, same changes: the schedule's times and groups come from one seeded
 * stream, and the k-th change of a group draws its user from the seed, the group and k alone, so timing never changes
 * what is drawn.
 *
 * <p>Each change is serialized with its group's messages, so that every group message belongs to one membership
 * version the oracle knows: once a change is due the group takes no new messages ({@link #holds}), the request goes
 * only when none of its messages is unanswered, and the group takes messages again once the {@code result} came back
 * and its new version is current. When the acting session closes before the result, the creator asks {@code
 * group.info} and the run continues from what the server says. Changes of a group due while one of it is under way
 * wait behind it.
 *
 * <p>Requests are numbered after {@link GroupCreation}'s: {@code 2 × groups + group + 1}, one request in flight per
 * group. Single-threaded: the client loop.
 */
final class MembershipChanges {
    /** Salts the seed so that the changes do not share draws with the groups or the arrivals. */
    private static final long SALT = 0x6368616E676573L;
    /** Draws of a user outside the group before an add is skipped (a group holding nearly every user). */
    private static final int ADD_DRAWS = 64;

    private static final byte IDLE = 0;
    /** Due: the group takes no messages, and the request waits for its messages in flight and its actor. */
    private static final byte DUE = 1;

    private static final byte SENT = 2;
    /** The acting session closed before the result: the creator is to ask {@code group.info}. */
    private static final byte ASK = 3;

    private static final byte ASKING = 4;

    /** The run's side: its devices' sessions and its connections. */
    interface Actors {
        /** An online device of {@code user}, or -1 after logging one in when none is (when a login may start). */
        int onlineDevice(int user, long nowMs);

        void send(int device, Frame request);
    }

    /** What the changes did: for {@code summary.json}. */
    record Figures(long made, long skipped, long refused, long arrivalsHeld, long events) {}

    private final GroupPlan groups;
    private final long seed;
    private final int users;
    private final int maxSize;
    private final double meanGapNs;
    private final SplittableRandom schedule;
    private final int reqBase;
    private final byte[] phase;
    /** Messages to each group sent and not yet answered (ack or error). */
    private final int[] sending;
    /** Changes of each group due behind the one under way. */
    private final int[] queued;
    /** Changes of each group done (made or skipped): the k of its next draw. */
    private final int[] done;
    /** The user each group's change adds. */
    private final int[] target;
    /** The device each group's request went from. */
    private final int[] actor;
    /** Groups whose change waits to be sent (DUE or ASK). */
    private final IntArrayList due = new IntArrayList();
    /** Groups with a request in flight (SENT or ASKING). */
    private final IntArrayList active = new IntArrayList();

    private final Frame request = new Frame();
    private long nextNs = Long.MAX_VALUE;
    private long made;
    private long skipped;
    private long refused;
    private long arrivalsHeld;
    private long events;

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
        sending = new int[count];
        queued = new int[count];
        done = new int[count];
        target = new int[count];
        actor = new int[count];
    }

    /** The workload starts at {@code startNs}: the first change is due a seeded gap later (never without a rate). */
    void start(long startNs) {
        nextNs = meanGapNs > 0 ? startNs + gapNs() : Long.MAX_VALUE;
    }

    private long gapNs() {
        return (long) (-Math.log(1 - schedule.nextDouble()) * meanGapNs);
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
                phase[group] = DUE;
                due.addInt(group);
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

    /** Sends the group's request, or skips its change; false when it has to wait for its actor. */
    private boolean dispatch(int group, long nowMs, Actors actors) {
        int[] members = groups.members(group);
        boolean add = phase[group] == DUE;
        if (add && (members.length >= maxSize || members.length >= users)) {
            skip(group);
            return true;
        }
        int device = actors.onlineDevice(groups.creator(group), nowMs);
        if (device < 0) {
            return false;
        }
        long req = reqBase + group + 1L;
        if (add) {
            int user = userToAdd(group, members);
            if (user < 0) {
                skip(group);
                return true;
            }
            target[group] = user;
            request.reset(FrameType.GROUP_ADD).req(req).group(groups.id(group)).addMember(VirtualClients.userOf(user));
            phase[group] = SENT;
        } else {
            request.reset(FrameType.GROUP_INFO).req(req).group(groups.id(group));
            phase[group] = ASKING;
        }
        actors.send(device, request);
        actor[group] = device;
        active.addInt(group);
        return true;
    }

    /** A user who is not a member, drawn from the seed, the group and its change count; -1 after too many draws. */
    private int userToAdd(int group, int[] members) {
        SplittableRandom draws = new SplittableRandom(Mix.mix(seed ^ SALT ^ ((long) group << 32) ^ done[group]));
        for (int attempt = 0; attempt < ADD_DRAWS; attempt++) {
            int user = draws.nextInt(users);
            if (Arrays.binarySearch(members, user) < 0) {
                return user;
            }
        }
        return -1;
    }

    private void skip(int group) {
        skipped++;
        finish(group);
    }

    /**
     * The result of a request of these changes ({@link #owns}).
     *
     * @throws IllegalStateException for a result of no request in flight, or a refused {@code group.info}
     */
    void result(Frame result) {
        int group = (int) (result.req() - reqBase - 1);
        if (group >= groups.count() || !active.removeInt(group)) {
            throw new IllegalStateException("a result for no membership change in flight: " + result);
        }
        if (phase[group] == SENT) {
            if (result.ok()) {
                apply(group);
            } else {
                refused++;
                finish(group);
            }
        } else if (!result.ok()) {
            throw new IllegalStateException("group.info refused: " + result);
        } else if (result.members().containsLong(VirtualClients.userOf(target[group]))) {
            apply(group);
        } else {
            skip(group);
        }
    }

    private void apply(int group) {
        int[] before = groups.members(group);
        int[] after = Arrays.copyOf(before, before.length + 1);
        after[before.length] = target[group];
        Arrays.sort(after);
        groups.changed(group, after);
        made++;
        finish(group);
    }

    /** The change is over: the group takes messages again, or its next change is due. */
    private void finish(int group) {
        done[group]++;
        if (queued[group] > 0) {
            queued[group]--;
            phase[group] = DUE;
            due.addInt(group);
        } else {
            phase[group] = IDLE;
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
        return new Figures(made, skipped, refused, arrivalsHeld, events);
    }
}
