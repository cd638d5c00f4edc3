package io.switchboard.simulator.run;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.simulator.net.DeviceSlots;

/**
 * What a recipient client makes of a delivered {@code msg} and what a sender makes of a receipt: the oracle's count,
 * the client's own de-duplication, the timing of deliveries to sessions that were open at the send, and the read the
 * delivery schedules, the wakes of phones in the background ({@link PushWakes}) and the blob a message names ({@link
 * MediaMessages}). Client event loop only.
 */
final class DeliveryCheck {
    private final DeviceSlots slots;
    private final DeliveryReader reader;
    private final Oracle oracle;
    private final DeliverySeqs seqs;
    private final GroupPlan groups;
    private final SecondSeries seconds;
    private final WindowFigures figures;
    private final ReadSchedule reads;
    private final PushWakes wakes;
    private final MediaMessages media;
    private final ClientInbox inbox;
    /** When each device's current session was welcomed: a message sent before it waited for a login. */
    private final long[] welcomedNs;

    DeliveryCheck(
            DeviceSlots slots,
            DeliveryReader reader,
            Oracle oracle,
            ClientInbox inbox,
            DeliverySeqs seqs,
            GroupPlan groups,
            SecondSeries seconds,
            WindowFigures figures,
            ReadSchedule reads,
            PushWakes wakes,
            MediaMessages media,
            int devices) {
        this.slots = slots;
        this.inbox = inbox;
        this.reader = reader;
        this.oracle = oracle;
        this.seqs = seqs;
        this.groups = groups;
        this.seconds = seconds;
        this.figures = figures;
        this.reads = reads;
        this.wakes = wakes;
        this.media = media;
        this.welcomedNs = new long[devices];
    }

    /** The device's session was welcomed at {@code now}, {@code nowMs} into the schedule. */
    void welcomed(int me, long now, long nowMs) {
        welcomedNs[me] = now;
        wakes.welcomed(me, nowMs);
    }

    /** A {@code msg} delivered to device {@code me} at {@code now}, {@code nowMs} into the schedule. */
    void delivered(int me, Frame frame, long now, long nowMs) {
        int sender = slots.slot((int) slots.indexOf(frame.fromUser()), frame.fromDevice());
        int index = reader.read(me, sender, frame);
        if (index == DeliveryReader.CONTROL || index == DeliveryReader.UNREADABLE) {
            return;
        }
        long intended = reader.intendedNs();
        int delivery = oracle.delivered(index, me, sender, frame.id(), seqs.arrived(me, frame.seq()));
        // The client's own de-duplication decides what its application shows; the oracle only checks it.
        int group = frame.group().isEmpty() ? -1 : groups.indexOf(frame.group());
        if (inbox.delivered(me, sender, group + 1, frame.id(), delivery == Oracle.DUPLICATE)) {
            oracle.duplicateShown();
        }
        if (delivery > 0) {
            seconds.delivered();
            // A message that reaches a session welcomed after it was sent waited in the server's queue for a login:
            // that wait is churn, not the server's latency, so only deliveries to a session already open when the
            // message was sent are timed. Whether the recipient was online at the send is not enough: a message the
            // server still held when the recipient logged out is delivered on its next session too.
            boolean timed = welcomedNs[me] <= intended;
            if (timed) {
                seconds.timed(WindowFigures.micros(intended, now));
                figures.slowReaders.delivered(me, intended, now);
            }
            figures.delivered(intended, now, timed);
            wakes.delivered(me, intended, welcomedNs[me], now, nowMs);
            media.delivered(me, frame, reader.plaintext(), reader.plaintextLength());
        }
        if (delivery == Oracle.NEW_TO_READER) {
            reads.delivered(index, me, nowMs);
        }
    }

    /** After the drain: the client's de-duplication decides what waited, and the oracle counts the copies it showed. */
    void settle() {
        oracle.duplicatesShown(inbox.settle());
    }

    /** A receipt to device {@code me} at {@code now}. */
    void receipt(int me, Frame frame, long now) {
        if (oracle.ids().isOwn(me, frame.id())) {
            return; // a receipt for the envelopes' own send (a sender key): no message of the workload
        }
        int index = oracle.indexOf(me, frame.id());
        if (frame.kind() == ReceiptKind.DELIVERED) {
            figures.deliveredReceipt(index, oracle.deliveredReceipt(index, frame.hasToGroup()), now);
        } else {
            oracle.readReceipt(index, frame.hasToGroup());
        }
    }
}
