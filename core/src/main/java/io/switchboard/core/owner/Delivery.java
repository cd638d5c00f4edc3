package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.message.SendView;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.EpochClock;

/**
 * Delivery from the devices' queues: a device with a session is sent its queued messages in seq order, at most {@code
 * deliveryWindow} ahead of the oldest one it has not acknowledged, and each {@code recv} opens the window again; a new
 * session starts again from the oldest unacknowledged message, so nothing is lost to a dropped connection
 * (at-least-once; clients de-duplicate by sender device and id). Entries leave on {@code recv}, past the retention,
 * when their member leaves the group, or when their device is removed from its account. Owner thread only.
 */
final class Delivery {
    private final DeviceStates devices;
    private final Outbound out;
    private final ReceiptRouter receipts;
    private final GroupReleases releases;
    private final UnreadMessages unread;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    private final Journal journal;
    private final QueuedBytes queued;
    private final int deliveryWindow;
    private final long retentionMs;
    private final Frame frame = new Frame();
    private final QueuedMsgView msgView = new QueuedMsgView();
    /** Bodies read back from the journal, one at a time: each is encoded before the next is read. */
    private final ExpandableArrayBuffer readBack = new ExpandableArrayBuffer(4096);
    /** The message being accepted ({@link #pumpSent}) and its send, whose bodies need no reading back; else null. */
    private MessageRecord sending;

    private SendView sendingBodies;

    private final OfflinePushes pushes;
    private final MessageRecords records;

    Delivery(
            OwnerWiring wiring,
            OwnerRules rules,
            DeviceStates devices,
            GroupReleases releases,
            UnreadMessages unread,
            QueuedBytes queued,
            MessageRecords records) {
        this.records = records;
        this.devices = devices;
        this.out = wiring.out();
        this.receipts = wiring.receipts();
        this.releases = releases;
        this.unread = unread;
        this.clock = wiring.clock();
        this.counters = wiring.counters();
        this.journal = wiring.journal();
        this.queued = queued;
        this.deliveryWindow = rules.deliveryWindow();
        this.retentionMs = rules.retentionMs();
        this.pushes = new OfflinePushes(wiring.push(), wiring.counters());
    }

    /**
     * Sends queued messages from the cursor while the window allows; the user may read what it was sent. A device
     * without a session may get a push instead ({@link OfflinePushes}).
     */
    void pump(long user, DeviceState state) {
        if (!state.online()) {
            pushes.waiting(user, state);
            return;
        }
        DeviceQueue queue = state.queue;
        long limit = Math.min(queue.nextSeq(), queue.headSeq() + deliveryWindow);
        long seq = Math.max(state.cursor, queue.headSeq());
        for (; seq < limit; seq++) {
            MessageRecord record = queue.record(seq);
            if (record != null) {
                QueuedMsgView view = view(seq, queue, record);
                if (view == null) {
                    // Logged by the journal; its cycle is held, so only damage gets here. It stays queued, unsent,
                    // until the retention drops it, rather than go as a body it never had.
                    continue;
                }
                send(state.connection, record, view);
                counters.increment(ShardCounter.MESSAGES_DELIVERED);
                unread.delivered(user, record);
            }
        }
        state.cursor = seq;
    }

    /**
     * As {@link #pump}, just after {@code record} was accepted from {@code send} and queued: an entry of it whose body
     * the journal keeps goes from the send's own bytes rather than read back from the page just written (Chronicle's
     * move to the record and its reading context were 4% of a shard's time at 500,000 msgs/s on direct).
     */
    void pumpSent(long user, DeviceState state, MessageRecord record, SendView send) {
        sending = record;
        sendingBodies = send;
        try {
            pump(user, state);
        } finally {
            sending = null;
            sendingBodies = null;
        }
    }

    /**
     * The entry at {@code seq} with its body: on the heap, still in the send being accepted ({@link #pumpSent}), or
     * read back from the journal; null when it could not be read back.
     */
    private QueuedMsgView view(long seq, DeviceQueue queue, MessageRecord record) {
        if (queue.body(seq) != null) {
            return msgView.wrap(seq, queue);
        }
        if (record == sending) {
            int envelope = queue.envelope(seq);
            return msgView.wrap(
                    seq,
                    queue,
                    sendingBodies.bodyBuffer(envelope),
                    sendingBodies.bodyOffset(envelope),
                    sendingBodies.bodyLength(envelope));
        }
        int length = readBack(queue, seq, record);
        return length < 0 ? null : msgView.wrap(seq, queue, readBack.byteArray(), length);
    }

    /** Reads an entry's body back from the journal into {@link #readBack}: its own, or its group's stored copy. */
    private int readBack(DeviceQueue queue, long seq, MessageRecord record) {
        GroupCopy copy = record.copy();
        return copy == null
                ? journal.readBody(
                        queue.journalIndex(seq),
                        record.senderUser(),
                        record.senderDevice(),
                        record.id(),
                        queue.envelope(seq),
                        readBack)
                : copy.message().readBody(readBack);
    }

    private void send(long connection, MessageRecord record, QueuedMsgView view) {
        String group = record.group();
        if (group == null) {
            out.msg(connection, view);
        } else {
            out.frame(connection, view.toFrame(frame).group(group));
        }
    }

    /** The device acknowledged {@code seq}: forget it, and tell the sender once every device of this user has it. */
    void recv(long user, int device, long seq) {
        DeviceState state = devices.device(user, device);
        MessageRecord record = state.queue.record(seq);
        if (record == null) {
            return;
        }
        counters.increment(ShardCounter.MESSAGES_ACKNOWLEDGED);
        left(user, device, state, seq);
        // A device may acknowledge a seq it was not sent yet: acknowledged is delivered, as a replay takes it.
        unread.delivered(user, record);
        done(user, device, seq, record);
        pump(user, state);
    }

    /**
     * The device was removed from its account: every message queued for it goes, counted as dropped and journaled as
     * acknowledged so that a restart does not bring it back. A message the user's other devices all have is then
     * delivered, and its sender gets the receipt that the removed device held back.
     */
    void dropDevice(long user, int device, DeviceState state) {
        DeviceQueue queue = state.queue;
        for (long seq = queue.headSeq(), next = queue.nextSeq(); seq < next; seq++) {
            MessageRecord record = queue.record(seq);
            if (record != null) {
                left(user, device, state, seq);
                counters.increment(ShardCounter.MESSAGES_DROPPED);
                done(user, device, seq, record);
            }
        }
        state.cursor = queue.headSeq();
        // A device linked later under the same number starts unpushed.
        state.pushed = false;
    }

    /** An entry left the device's queue for good: journaled so, and the sender told once every device has it. */
    private void done(long user, int device, long seq, MessageRecord record) {
        if (record.journaled()) {
            journal.acknowledged(user, device, seq, record.cycle());
        }
        if (record.acknowledgedBy(device)) {
            counters.increment(ShardCounter.RECEIPTS_DELIVERED);
            receipts.route(
                    record.senderUser(),
                    record.senderDevice(),
                    record.id(),
                    user,
                    ReceiptKind.DELIVERED,
                    clock.time(),
                    record.group() != null);
            releases.memberDone(record);
            records.giveBack(record);
        }
    }

    /**
     * Now and then, for every device: drops its queued messages older than the retention ({@link #expire}), and pushes
     * it if it has none of its sessions and messages wait for it that no push went out for ({@link #pushWaiting}).
     */
    void housekeeping() {
        devices.forEach((user, device, state) -> {
            expire(user, device, state);
            pushWaiting(user, state);
        });
    }

    /**
     * At the end of the replay: no device has a session, and the pushes that went out before the restart are not
     * known, so each device with messages waiting is pushed once (those the dispatcher's queue refuses, at the next
     * {@link #housekeeping}). Without it a phone in the background would sleep through them until a new message came.
     */
    void pushWaitingAll() {
        devices.forEach((user, device, state) -> pushWaiting(user, state));
    }

    private void pushWaiting(long user, DeviceState state) {
        if (!state.online() && state.queue.size() > 0) {
            pushes.unpushed(user, state);
        }
    }

    /**
     * Drops the device's queued messages older than the retention: counted as expired, journaled as acknowledged so
     * that it stays gone after a restart, never delivered. Run now and then ({@link #housekeeping}), and for a device
     * when it connects.
     */
    void expire(long user, int device, DeviceState state) {
        long oldest = clock.time() - retentionMs;
        DeviceQueue queue = state.queue;
        for (MessageRecord head; (head = queue.record(queue.headSeq())) != null && head.ts() < oldest; ) {
            long seq = queue.headSeq();
            left(user, device, state, seq);
            counters.increment(ShardCounter.MESSAGES_EXPIRED);
            gone(user, device, seq, head);
        }
    }

    /** The user left {@code group}: its messages still queued for the user's devices go. */
    void dropGroup(long user, String group) {
        devices.forEachOf(user, (member, device, state) -> {
            DeviceQueue queue = state.queue;
            for (long seq = queue.headSeq(), next = queue.nextSeq(); seq < next; seq++) {
                MessageRecord record = queue.record(seq);
                if (record != null && group.equals(record.group())) {
                    left(member, device, state, seq);
                    gone(member, device, seq, record);
                }
            }
        });
    }

    /** A queue entry went without a {@code recv} (dropped, expired): journaled so, and the group copy told. */
    private void gone(long user, int device, long seq, MessageRecord record) {
        if (record.journaled()) {
            journal.acknowledged(user, device, seq, record.cycle());
        }
        if (record.acknowledgedBy(device)) {
            releases.memberDone(record);
            records.giveBack(record);
        }
    }

    /**
     * Tells {@code visitor} every queue entry, and whether it went out on the device's current session (below its
     * cursor) or is still held unsent. Reads only.
     */
    void visitHeld(HeldVisitor visitor) {
        devices.forEach((user, device, state) -> {
            DeviceQueue queue = state.queue;
            for (long seq = queue.headSeq(), next = queue.nextSeq(); seq < next; seq++) {
                MessageRecord record = queue.record(seq);
                if (record != null) {
                    visitor.message(
                            user,
                            device,
                            record.senderUser(),
                            record.senderDevice(),
                            record.id(),
                            state.online() && seq < state.cursor);
                }
            }
        });
    }

    /**
     * Replay: the device had acknowledged {@code seq}, so the user was delivered it and may read it. Tells no one: the
     * owners' joint look at the end does.
     */
    void onAcknowledged(long user, int device, long seq) {
        DeviceState state = devices.device(user, device);
        MessageRecord record = state.queue.record(seq);
        if (record != null) {
            unread.delivered(user, record);
            journal.released(record.cycle());
            forgotten(user, device, state, seq, record);
        }
    }

    /**
     * At the end of the replay: a queued message that its user was delivered before the restart, known from an UNREAD
     * record rather than an acknowledgement, is marked delivered to the user, as it was before, so that delivering it
     * again does not add it to the unread list a second time ({@link UnreadMessages#delivered}).
     */
    void recoveredUnread() {
        devices.forEach((user, device, state) -> {
            DeviceQueue queue = state.queue;
            for (long seq = queue.headSeq(), next = queue.nextSeq(); seq < next; seq++) {
                MessageRecord record = queue.record(seq);
                if (record != null && !record.deliveredToUser() && unread.holds(user, record)) {
                    record.deliveredToUser(true);
                }
            }
        });
    }

    /**
     * At the end of the replay, for a device its account no longer has (a crash came between its removal and the
     * owner's drop): its entries go as {@link #dropDevice} drops them, but, as in the replay, telling no one.
     */
    void dropReplayed(long user, int device, DeviceState state) {
        DeviceQueue queue = state.queue;
        for (long seq = queue.headSeq(), next = queue.nextSeq(); seq < next; seq++) {
            MessageRecord record = queue.record(seq);
            if (record != null) {
                counters.increment(ShardCounter.MESSAGES_DROPPED);
                if (record.journaled()) {
                    journal.acknowledged(user, device, seq, record.cycle());
                }
                forgotten(user, device, state, seq, record);
            }
        }
        state.cursor = queue.headSeq();
    }

    /** The entry at {@code seq} goes, in a replay: no receipt, no journal record; a group copy told. */
    private void forgotten(long user, int device, DeviceState state, long seq, MessageRecord record) {
        left(user, device, state, seq);
        if (!record.acknowledgedBy(device)) {
            return;
        }
        if (record.copy() != null && record.copy().userDone()) {
            queued.done(record.copy());
        }
        records.giveBack(record);
    }

    /** The entry at {@code seq} leaves its device's queue, whichever way: it no longer counts, in messages or bytes. */
    private void left(long user, int device, DeviceState state, long seq) {
        counters.decrement(ShardCounter.MESSAGES_QUEUED);
        queued.remove(user, device, state, seq);
    }
}
