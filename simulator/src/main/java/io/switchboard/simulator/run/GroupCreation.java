package io.switchboard.simulator.run;

import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.VirtualClients;
import org.agrona.collections.IntArrayList;

/**
 * Creates a run's groups before its workload, each from its creator's device 1, at most {@link #MAX_CREATING} at a
 * time (a creation fans a {@code group.event} out to every online member). A create whose session closes before its
 * result is sent again once the creator is back: the first may or may not have been applied, and a second one
 * answered {@code forbidden} (the id exists) found the group the first made, since a run's group ids are its own.
 * Single-threaded: the client loop.
 */
final class GroupCreation {
    /** Group creations in flight at most. */
    static final int MAX_CREATING = 16;

    /** The run's side: its devices' sessions and its connections. */
    interface Creators {
        /** Whether {@code device} can send now; an offline one is logged in (when a login may start). */
        boolean online(int device, long nowMs);

        void send(int device, Frame create);
    }

    private final GroupPlan groups;
    private final DeviceSlots slots;
    private final Frame create = new Frame();
    private final IntArrayList inFlight = new IntArrayList();
    private final IntArrayList toRetry = new IntArrayList();
    private final boolean[] retried;
    private int next;
    private int created;

    GroupCreation(GroupPlan groups, DeviceSlots slots) {
        this.groups = groups;
        this.slots = slots;
        this.retried = new boolean[groups.count()];
    }

    boolean done() {
        return created == groups.count();
    }

    /** Sends the creates there is room for, retries first, until one waits for its creator to come online. */
    void sendDue(Creators creators, long nowMs) {
        while (inFlight.size() < MAX_CREATING && (!toRetry.isEmpty() || next < groups.count())) {
            boolean retry = !toRetry.isEmpty();
            int group = retry ? toRetry.getInt(0) : next;
            int creator = creatorDevice(group);
            if (!creators.online(creator, nowMs)) {
                return;
            }
            create.reset(FrameType.GROUP_CREATE).req(group + 1L).group(groups.id(group));
            for (int member : groups.members(group)) {
                if (member != groups.creator(group)) {
                    create.addMember(VirtualClients.userOf(member));
                }
            }
            creators.send(creator, create);
            if (retry) {
                toRetry.removeAt(0);
            } else {
                next++;
            }
            inFlight.addInt(group);
        }
    }

    /**
     * The {@code result} of a create; true once every group exists.
     *
     * @throws IllegalStateException when the server refused a create (other than a repeat finding its group)
     */
    boolean result(Frame result) {
        int group = (int) (result.req() - 1);
        if (!inFlight.removeInt(group)) {
            throw new IllegalStateException("a result for no create in flight: req " + result.req());
        }
        if (!result.ok() && !(retried[group] && result.code() == ErrorCode.FORBIDDEN)) {
            throw new IllegalStateException("group request refused: " + result);
        }
        created++;
        return done();
    }

    /** The session of {@code device} closed: the creates it had in flight go again once it is back. */
    void closed(int device) {
        for (int i = inFlight.size() - 1; i >= 0; i--) {
            int group = inFlight.getInt(i);
            if (creatorDevice(group) == device) {
                inFlight.removeAt(i);
                toRetry.addInt(group);
                retried[group] = true;
            }
        }
    }

    private int creatorDevice(int group) {
        return slots.slot(groups.creator(group), 1);
    }
}
