package io.switchboard.simulator.run;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import java.util.Arrays;

/**
 * When users read what they were delivered. Whether and when a message is read are functions of the seed and the
 * message, not of timing: a user reads a seeded share once, the delivery to its first device scheduling the read,
 * which any device of the user sends when it is due (each member of a group after a delay of its own); a reader with no
 * device that can write then reads once it is back. Client event loop only.
 */
final class ReadSchedule {
    /** A message due to be read while its reader is offline is read once the reader is back: checked this often. */
    private static final long READ_RETRY_MS = 1000;
    /** Bits of a pending read's payload: the message index (an {@code int}). */
    private static final int INDEX_BITS = 31;
    /** Bits of a member's position in its group (below 1,024) in a pending group read's payload. */
    private static final int POSITION_BITS = 10;
    /**
     * Group reads are due in units of this many ms: their payload leaves 22 bits for the deadline, which in ms would
     * end a run with group reads after 70 minutes; in 10 ms units it lasts 11 hours.
     */
    private static final long GROUP_READ_UNIT_MS = 10;

    /** The devices that send the reads. */
    interface Readers {
        /** A device of {@code user} that can write now, or -1. */
        int writableDevice(int user);

        void send(int device, Frame frame);
    }

    private final Scenario scenario;
    private final DeviceSlots slots;
    private final Oracle oracle;
    private final Readers readers;
    private final double meanReadDelayMs;
    private final Frame read = new Frame();
    private final Frame ping = new Frame();
    /** In runs with faults, the reads each device wrote that the server did not confirm; null otherwise. */
    private UnconfirmedReads unconfirmed;
    /** Whether the end barrier started: no read is written any more ({@link #stop}). */
    private boolean stopped;
    /** Messages delivered and due to be read, by when (ms on the churn clock). */
    private final DeadlineQueue reads = new DeadlineQueue(INDEX_BITS, 1024);
    /** Group messages due to be read by one member: (index, member position), by when (in group read units). */
    private final DeadlineQueue groupReads = new DeadlineQueue(INDEX_BITS + POSITION_BITS, 1024);

    ReadSchedule(Scenario scenario, DeviceSlots slots, Oracle oracle, Readers readers) {
        this.scenario = scenario;
        this.slots = slots;
        this.oracle = oracle;
        this.readers = readers;
        this.meanReadDelayMs = scenario.messages().readDelay().toMillis();
    }

    /** Message {@code index} reached device {@code me}, the first of its user to get it, at {@code nowMs}. */
    void delivered(int index, int me, long nowMs) {
        if (stopped
                || Mix.unitInterval(scenario.seed() ^ index)
                        >= scenario.messages().readShare()) {
            return;
        }
        if (meanReadDelayMs == 0) {
            send(index, me);
            return;
        }
        int user = slots.user(me);
        long reader = oracle.isGroup(index) ? (long) user << 32 : 0;
        double delayMs = Mix.exponential(Mix.unitInterval(~scenario.seed() ^ index ^ reader), meanReadDelayMs);
        long dueMs = nowMs + (long) delayMs;
        if (oracle.isGroup(index)) {
            int position = Arrays.binarySearch(oracle.groupMembersOf(index), user);
            if (position < 0) {
                // Packed below the index, a negative position would overwrite it: fail loudly rather than read the
                // wrong message.
                throw new IllegalStateException(
                        "user " + user + " got group message " + index + " without being one of its members");
            }
            groupReads.add(dueMs / GROUP_READ_UNIT_MS, ((long) index << POSITION_BITS) | position);
        } else {
            reads.add(dueMs, index);
        }
    }

    /** Reads due by {@code nowMs}, each from a device of its reader that can write now, else retried later. */
    void due(long nowMs) {
        if (stopped) {
            return;
        }
        while (reads.due(nowMs)) {
            int index = (int) reads.poll();
            int device = readers.writableDevice(oracle.recipientOf(index));
            if (device >= 0) {
                send(index, device);
            } else {
                reads.add(nowMs + READ_RETRY_MS, index);
            }
        }
        while (groupReads.due(nowMs / GROUP_READ_UNIT_MS)) {
            long entry = groupReads.poll();
            int index = (int) (entry >>> POSITION_BITS);
            int reader = oracle.groupMembersOf(index)[(int) (entry & ((1 << POSITION_BITS) - 1))];
            if (oracle.waived(index, reader)) {
                // The reader went from the group after the message (the change is sent): it reads it no more.
                continue;
            }
            int device = readers.writableDevice(reader);
            if (device >= 0) {
                send(index, device);
            } else {
                groupReads.add((nowMs + READ_RETRY_MS) / GROUP_READ_UNIT_MS, entry);
            }
        }
    }

    /**
     * The end barrier started ({@link EndBarrier}): no read is written any more; those still due stay unread. The
     * barrier's rounds order what the devices wrote before them; a read written during the barrier sets off a read
     * receipt that can reach the sender's owner after the server was asked what it holds ({@link HeldAtEnd}), while
     * the oracle expects that receipt from the moment the read is written: a receipt error no server fault caused.
     */
    void stop() {
        stopped = true;
    }

    /**
     * In a run with faults, where connections drop: devices confirm their reads with pings and write again, on their
     * next session, those a dropped connection may have lost ({@link UnconfirmedReads}). Returns this schedule.
     */
    ReadSchedule confirming(int devices) {
        unconfirmed = new UnconfirmedReads(devices);
        return this;
    }

    /** The reader's device marks the message read: the frame names the device that sent it. */
    private void send(int index, int device) {
        write(index, device);
        oracle.readSent(index, slots.user(device));
        if (unconfirmed != null && unconfirmed.written(device, index)) {
            readers.send(device, ping.reset(FrameType.PING));
        }
    }

    private void write(int index, int device) {
        int sender = oracle.senderOf(index);
        readers.send(
                device,
                read.reset(FrameType.READ)
                        .from(slots.userId(slots.user(sender)), slots.device(sender))
                        .addId(oracle.idOf(index)));
    }

    /**
     * A {@code pong} reached {@code device}: the server took the reads written before its ping. Returns whether the
     * device wrote another ping, for the reads written since.
     */
    boolean pong(int device) {
        if (unconfirmed != null && unconfirmed.pong(device)) {
            readers.send(device, ping.reset(FrameType.PING));
            return true;
        }
        return false;
    }

    /** {@code device}'s connection closed: its ping goes unanswered. */
    void closed(int device) {
        if (unconfirmed != null) {
            unconfirmed.closed(device);
        }
    }

    /**
     * {@code device} was welcomed: it writes again the reads its closed session wrote and the server did not confirm.
     * Returns whether it wrote any.
     */
    boolean welcomedAgain(int device) {
        if (unconfirmed != null && unconfirmed.writeAgain(device, index -> write(index, device))) {
            readers.send(device, ping.reset(FrameType.PING));
            return true;
        }
        return false;
    }
}
