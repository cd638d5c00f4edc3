package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceConnections;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * The workload's sends: open-loop Poisson arrivals at the target rate from the seed, each sent at its intended time
 * or, after a late tick, in a burst stamped with the intended times (latency counts from them: no coordinated
 * omission). The sender is a random device that may send; a one-to-one recipient is another user (among the sender's
 * contacts when the scenario has them), online or not; a group message comes from a random device of a member.
 *
 * <p>A device the server refused ({@code unavailable} or {@code rate-limited}) waits the {@code retryAfterMs} it was
 * given, as a client should: an arrival due at it meanwhile is not sent and counts as refused ({@link
 * Oracle#withheld}), so a server that sheds load is not flooded by the clients it asked to wait. 8 bytes a device.
 * Client event loop only.
 */
final class ArrivalSender {
    /** Draws of a group member who may send before a group arrival is given up (churn only). */
    private static final int GROUP_SENDER_DRAWS = 8;

    private final DeviceSlots slots;
    private final int devices;
    private final boolean churns;
    private final Arrivals arrivals;
    private final Oracle oracle;
    private final GroupPlan groups;
    private final ContactGraph contacts;
    private final MembershipChanges changes;
    private final WindowFigures figures;
    private final MediaMessages media;
    private final MessageWriter writer;
    private final SenderSet senders;
    /** Sends not yet acknowledged, per device: a session ends only once its own are. */
    private final int[] inFlight;
    /** Whether a user has a device online. */
    private final IntPredicate online;
    /** Per device: until when ({@link System#nanoTime()}) the server asked it not to send; 0 when it did not. */
    private final long[] retryAtNs;

    private long startNs;
    private long nextArrivalNs;
    /** Whether the next arrival is drawn already: its sender was pushed back, and it waits for a later tick. */
    private boolean drawn;
    /** Arrivals so far: which carry media is drawn by number. */
    private long arrivalCount;

    ArrivalSender(
            Scenario scenario,
            DeviceSlots slots,
            Oracle oracle,
            GroupPlan groups,
            ContactGraph contacts,
            MembershipChanges changes,
            WindowFigures figures,
            MessageWriter writer,
            SenderSet senders,
            int[] inFlight,
            IntPredicate online) {
        this.slots = slots;
        this.devices = slots.count(scenario.users());
        // With faults, devices go offline with the server: senders come from those online, as with churn.
        this.churns = scenario.churn().churns() || !scenario.faults().isEmpty();
        this.arrivals = new Arrivals(
                scenario.seed(),
                scenario.contacts().enabled() ? contacts.perUser() : scenario.users() - 1,
                scenario.messages(),
                scenario.curve(),
                groups.count());
        this.oracle = oracle;
        this.groups = groups;
        this.contacts = contacts;
        this.changes = changes;
        this.figures = figures;
        this.media = writer.media();
        this.writer = writer;
        this.senders = senders;
        this.inFlight = inFlight;
        this.online = online;
        this.retryAtNs = new long[devices];
    }

    /** The server refused a send of {@code device}, asking it to wait {@code retryAfterMs} from {@code nowNs}. */
    void backOff(int device, long nowNs, long retryAfterMs) {
        retryAtNs[device] = nowNs + TimeUnit.MILLISECONDS.toNanos(retryAfterMs);
    }

    /** Whether {@code device} still waits at {@code intendedNs}, as the server asked. */
    private boolean waiting(int device, long intendedNs) {
        return retryAtNs[device] != 0 && retryAtNs[device] - intendedNs > 0;
    }

    /** The first arrival is due at {@code now}, the workload's start. */
    void start(long now) {
        startNs = now;
        nextArrivalNs = now;
    }

    /**
     * Sends every arrival due by {@code now} and before {@code endNs}, or those until one's sender is pushed back: that
     * one and the rest follow at a later tick, in order, with their intended times (an open-loop client that cannot
     * send on time counts the delay, in the latencies and in {@link WindowFigures#sendLag}).
     */
    void due(DeviceConnections clients, long now, long endNs) {
        while (nextArrivalNs <= now && nextArrivalNs < endNs) {
            if (!drawn) {
                // Without churn every device is online, and the sender is drawn from all devices exactly as before
                // churn. With churn an arrival that finds no device online is not sent (the achieved rate shows it).
                arrivals.next(churns ? Math.max(1, senders.size()) : devices, nextArrivalNs - startNs);
                arrivalCount++;
                drawn = true;
            }
            if (!offer(clients, now)) {
                return;
            }
            drawn = false;
            nextArrivalNs += arrivals.gapNs;
        }
    }

    /** Sends the drawn arrival, or withholds or drops it; false when its sender is pushed back. */
    private boolean offer(DeviceConnections clients, long now) {
        if (arrivals.group >= 0) {
            return sendToGroup(clients, arrivals.group, now);
        }
        if (churns && senders.size() == 0) {
            return true;
        }
        // A draw that waited may find fewer devices online than when it was made.
        int sender = churns ? senders.get(arrivals.senderDraw % senders.size()) : arrivals.senderDraw;
        return send(clients, sender, arrivals.recipientDraw, now);
    }

    /**
     * A message from a random device of a member of the group that may send now; with churn, a few draws find one or
     * the arrival is not sent (like an arrival that finds nobody online).
     */
    private boolean sendToGroup(DeviceConnections clients, int group, long now) {
        if (changes.holds(group)) {
            changes.held();
            return true;
        }
        int[] members = groups.members(group);
        int perUser = slots.devicesPerUser();
        for (int attempt = 0; attempt < GROUP_SENDER_DRAWS; attempt++) {
            int draw = arrivals.member(attempt, members.length * perUser);
            int sender = slots.slot(members[draw / perUser], draw % perUser + 1);
            if (senders.contains(sender)) {
                if (waiting(sender, nextArrivalNs)) {
                    withhold(oracle.sentToGroup(sender, group), false, nextArrivalNs);
                    return true;
                }
                if (clients.pushedBack(sender)) {
                    return false;
                }
                int index = stamp(oracle.sentToGroup(sender, group), sender, false, nextArrivalNs);
                writer.write(clients, sender, index, nextArrivalNs, -1, group);
                figures.written(nextArrivalNs, now);
                changes.sent(group);
                return true;
            }
        }
        return true;
    }

    /** A one-to-one message from a device to another user, drawn among its user's contacts or all other users. */
    private boolean send(DeviceConnections clients, int sender, int recipientDraw, long now) {
        int user = slots.user(sender);
        int recipient = contacts.perUser() > 0
                ? contacts.contact(user, recipientDraw)
                : recipientDraw >= user ? recipientDraw + 1 : recipientDraw;
        if (waiting(sender, nextArrivalNs)) {
            withhold(oracle.sent(sender, recipient), !online.test(recipient), nextArrivalNs);
            return true;
        }
        if (clients.pushedBack(sender)) {
            return false;
        }
        if (media.carries(arrivalCount) && media.upload(clients, sender, recipient, arrivalCount, this::sendMedia)) {
            return true;
        }
        int index = stamp(oracle.sent(sender, recipient), sender, !online.test(recipient), nextArrivalNs);
        writer.write(clients, sender, index, nextArrivalNs, recipient, -1);
        figures.written(nextArrivalNs, now);
        return true;
    }

    /**
     * A blob is stored: its message goes now, from its sender if that can still send, timed from now (the upload is
     * timed apart). A sender the server asked to wait meanwhile withholds it, as any other arrival.
     */
    private void sendMedia(DeviceConnections clients, int sender, int recipient, MediaMessages.Ref ref) {
        if (!senders.contains(sender)) {
            media.unsent();
            return;
        }
        long now = System.nanoTime();
        if (waiting(sender, now)) {
            withhold(oracle.sent(sender, recipient), !online.test(recipient), now);
            return;
        }
        int index = stamp(oracle.sent(sender, recipient), sender, !online.test(recipient), now);
        writer.write(clients, sender, index, now, recipient, -1, ref);
    }

    /** An arrival the device does not send: counted as offered in the window, and refused. */
    private void withhold(int index, boolean toOffline, long intendedNs) {
        figures.sent(index, intendedNs, toOffline);
        oracle.withheld(index);
    }

    /** Records a new message's intended time and that its sender has one more send in flight. */
    private int stamp(int index, int sender, boolean toOffline, long intendedNs) {
        figures.sent(index, intendedNs, toOffline);
        inFlight[sender]++;
        return index;
    }
}
