package io.switchboard.simulator.run;

import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.DeviceSlots;
import java.util.concurrent.CompletableFuture;
import org.agrona.collections.IntArrayList;

/**
 * Creates a run's groups before its workload, each from its creator's device 1, at most {@link #MAX_CREATING}
 * requests at a time (a creation fans a {@code group.event} out to every online member). A create whose session closes
 * before its result is sent again once the creator is back: the first may or may not have been applied. A repeat
 * answered {@code forbidden} may have found the group the first one made, or been refused for another reason, so the
 * creator then asks {@code group.info}: the group counts as created only if it exists with the planned members.
 *
 * <p>Requests are numbered {@code group + 1} for a create and {@code groups + group + 1} for an info. Single-threaded:
 * the client loop.
 */
final class GroupCreation {
    /** Group requests in flight at most. */
    static final int MAX_CREATING = 16;

    /** The run's side: its devices' sessions and its connections. */
    interface Creators {
        /** Whether {@code device} can send now; an offline one is logged in (when a login may start). */
        boolean online(int device, long nowMs);

        void send(int device, Frame request);
    }

    private final GroupPlan groups;
    private final DeviceSlots slots;
    private final Frame request = new Frame();
    /** The reqs of the requests sent and not answered. */
    private final IntArrayList inFlight = new IntArrayList();
    /** Groups whose create is to be sent again, and groups whose existence is to be asked. */
    private final IntArrayList toRetry = new IntArrayList();

    private final IntArrayList toVerify = new IntArrayList();
    private final boolean[] retried;
    private int next;
    private int created;
    private boolean active;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();

    GroupCreation(GroupPlan groups, DeviceSlots slots) {
        this.groups = groups;
        this.slots = slots;
        this.retried = new boolean[groups.count()];
    }

    boolean done() {
        return created == groups.count();
    }

    /** From now on the run sends what {@link #sendDue} says, and churn waits, until {@link #finished()}. */
    void start() {
        active = true;
        finishIfDone();
    }

    /** Whether the groups are being created: between {@link #start()} and the last one's result. */
    boolean active() {
        return active;
    }

    /** Completes once every group exists. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    private void finishIfDone() {
        if (done()) {
            active = false;
            finished.complete(null);
        }
    }

    /** Sends the requests there is room for, questions and retries first, until one waits for its creator. */
    void sendDue(Creators creators, long nowMs) {
        while (inFlight.size() < MAX_CREATING && (!toVerify.isEmpty() || !toRetry.isEmpty() || next < groups.count())) {
            IntArrayList from = !toVerify.isEmpty() ? toVerify : !toRetry.isEmpty() ? toRetry : null;
            int group = from != null ? from.getInt(0) : next;
            int creator = creatorDevice(group);
            if (!creators.online(creator, nowMs)) {
                return;
            }
            int req;
            if (from == toVerify) {
                req = groups.count() + group + 1;
                request.reset(FrameType.GROUP_INFO).req(req).group(groups.id(group));
            } else {
                req = group + 1;
                request.reset(FrameType.GROUP_CREATE).req(req).group(groups.id(group));
                for (int member : groups.members(group)) {
                    if (member != groups.creator(group)) {
                        request.addMember(slots.userId(member));
                    }
                }
            }
            creators.send(creator, request);
            if (from != null) {
                from.removeAt(0);
            } else {
                next++;
            }
            inFlight.addInt(req);
        }
    }

    /**
     * The {@code result} of a request; true once every group exists.
     *
     * @throws IllegalStateException when the server refused a create, or a group asked about is not as planned
     */
    boolean result(Frame result) {
        int req = (int) result.req();
        if (!inFlight.removeInt(req)) {
            throw new IllegalStateException("a result for no request in flight: req " + req);
        }
        if (req > groups.count()) {
            int group = req - groups.count() - 1;
            if (!result.ok() || !hasPlannedMembers(group, result)) {
                throw new IllegalStateException("group " + groups.id(group) + " is not as planned: " + result);
            }
        } else if (!result.ok()) {
            if (!retried[req - 1] || result.code() != ErrorCode.FORBIDDEN) {
                throw new IllegalStateException("group request refused: " + result);
            }
            toVerify.addInt(req - 1);
            return false;
        }
        created++;
        finishIfDone();
        return done();
    }

    private boolean hasPlannedMembers(int group, Frame info) {
        int[] members = groups.members(group);
        if (info.members().size() != members.length) {
            return false;
        }
        for (int member : members) {
            if (!info.members().containsLong(slots.userId(member))) {
                return false;
            }
        }
        return true;
    }

    /** The session of {@code device} closed: the requests it had in flight go again once it is back. */
    void closed(int device) {
        for (int i = inFlight.size() - 1; i >= 0; i--) {
            int req = inFlight.getInt(i);
            boolean info = req > groups.count();
            int group = info ? req - groups.count() - 1 : req - 1;
            if (creatorDevice(group) == device) {
                inFlight.removeAt(i);
                if (info) {
                    toVerify.addInt(group);
                } else {
                    toRetry.addInt(group);
                    retried[group] = true;
                }
            }
        }
    }

    private int creatorDevice(int group) {
        return slots.slot(groups.creator(group), 1);
    }
}
