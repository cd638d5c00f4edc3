package io.switchboard.core.owner;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.message.SenderKey;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.function.LongPredicate;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.EpochClock;

/**
 * The receipts for what this owner's users sent: written to the sending device now, or held for it (journaled while
 * it is offline), or, for a group message, counted toward its delivery list until every member has it. A session with
 * {@code receiptAcks} gets each receipt with an {@code rseq} and it stays held until a {@code receipt.ack} covers it,
 * so that a receipt written to a connection that then drops is sent again. Owner thread only.
 */
final class Receipts {
    private final DeviceStates devices;
    private final DeviceDirectory directory;
    private final Outbound out;
    private final ReceiptRouter router;
    private final EpochClock clock;
    private final CounterSet<ShardCounter> counters;
    private final Journal journal;
    private final int maxPendingReceipts;
    private final long retentionMs;
    private final GroupDeliveries groupDeliveries;
    private final Frame frame = new Frame();
    /** Scratch: the journal cycles of the receipts one {@code receipt.ack} forgot. */
    private final IntArrayList releasedCycles = new IntArrayList();

    Receipts(OwnerWiring wiring, OwnerRules rules, DeviceStates devices) {
        this.devices = devices;
        this.directory = wiring.directory();
        this.out = wiring.out();
        this.router = wiring.receipts();
        this.clock = wiring.clock();
        this.counters = wiring.counters();
        this.journal = wiring.journal();
        this.maxPendingReceipts = rules.maxPendingReceipts();
        this.retentionMs = rules.retentionMs();
        this.groupDeliveries = new GroupDeliveries(maxPendingReceipts);
    }

    /**
     * A receipt for a message that a device of this owner's user sent: deliver it now or when the device returns. A
     * group message's receipts count toward its delivery list instead ({@code read}s of it too: the reader's owner
     * knows which messages it delivered were group messages).
     */
    void receipt(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, boolean group) {
        if (group) {
            long sender = SenderKey.of(senderUser, senderDevice);
            GroupDelivery delivery = groupDeliveries.find(sender, id);
            if (delivery != null) {
                int completed =
                        kind == ReceiptKind.READ ? delivery.read(recipientUser) : delivery.delivered(recipientUser);
                completed(sender, delivery, completed);
            }
            // Without its list (dropped past the bound, or completed) the member's part no longer matters.
            return;
        }
        hold(senderUser, senderDevice, id, recipientUser, null, kind, ts);
    }

    /**
     * A receipt for a device of this owner's user, about a one-to-one message ({@code group} null) or a group
     * message: written at once to an online session that does not acknowledge receipts; otherwise held, and written
     * now with an {@code rseq} to an online session that does. One held for an offline device is journaled, unless it
     * is a group's (a restart rebuilds the delivery lists instead).
     */
    private void hold(long user, int device, long id, long recipientUser, String group, ReceiptKind kind, long ts) {
        DeviceState state = devices.device(user, device);
        if (state.online() && !state.receiptAcks) {
            PendingReceipts.write(out, state.connection, frame, id, recipientUser, group, kind, ts, 0);
            return;
        }
        long rseq = 0;
        int cycle = Journal.FAILED;
        if (state.online()) {
            rseq = state.rseqFrom(clock.time());
            state.nextRseq = rseq + 1;
        } else if ((directory.deviceMask(user) & (1L << device)) == 0) {
            // A message it sent before it was removed from its account: no session will ever take this receipt.
            counters.increment(ShardCounter.RECEIPTS_DROPPED);
            return;
        } else if (group == null) {
            cycle = journal.receiptPending(user, device, id, recipientUser, kind, ts);
        }
        keep(state, id, recipientUser, group, kind, ts, cycle, rseq);
        if (rseq != 0) {
            PendingReceipts.write(out, state.connection, frame, id, recipientUser, group, kind, ts, rseq);
        }
    }

    private void keep(
            DeviceState state,
            long id,
            long recipientUser,
            String group,
            ReceiptKind kind,
            long ts,
            int cycle,
            long rseq) {
        if (state.receipts == null) {
            state.receipts = new PendingReceipts(maxPendingReceipts);
        }
        if (state.receipts.add(id, recipientUser, group, kind, ts, cycle, rseq)) {
            counters.increment(ShardCounter.RECEIPTS_PENDING);
        } else {
            counters.increment(ShardCounter.RECEIPTS_DROPPED);
            if (state.receipts.droppedCycle() != Journal.FAILED) {
                journal.released(state.receipts.droppedCycle());
            }
        }
    }

    /** A session opened: the receipts held for the device go to it, with rseqs if it acknowledges them. */
    void opened(long user, int device, DeviceState state) {
        PendingReceipts pending = state.receipts;
        if (pending == null || pending.isEmpty()) {
            return;
        }
        if (state.receiptAcks) {
            state.nextRseq = pending.sendAll(out, state.connection, frame, state.rseqFrom(clock.time()));
            return;
        }
        boolean journaled = pending.anyJournaled();
        int[] cycles = pending.cycles();
        counters.add(ShardCounter.RECEIPTS_PENDING, -pending.drainTo(out, state.connection, frame));
        if (journaled) {
            journal.receiptsDelivered(user, device, cycles, cycles.length);
        }
    }

    /**
     * The session closed: receipts it did not acknowledge now wait for the device as those that came while it was
     * offline do, journaled like them.
     */
    void closed(long user, int device, DeviceState state) {
        if (state.receipts != null) {
            state.receipts.journalUnacknowledged(journal, user, device);
            if (state.receipts.isEmpty()) {
                // An offline device holds no memory for receipts until it is owed one.
                state.receipts = null;
            }
        }
    }

    /**
     * The device was removed from its account: the receipts held for it go, counted as dropped, and journaled as
     * delivered so that a restart does not bring them back.
     */
    void dropHeld(long user, int device, DeviceState state) {
        PendingReceipts pending = state.receipts;
        if (pending == null) {
            return;
        }
        boolean journaled = pending.anyJournaled();
        int[] cycles = pending.cycles();
        int dropped = pending.clear();
        state.receipts = null;
        counters.add(ShardCounter.RECEIPTS_PENDING, -dropped);
        counters.add(ShardCounter.RECEIPTS_DROPPED, dropped);
        if (journaled) {
            journal.receiptsDelivered(user, device, cycles, cycles.length);
        }
    }

    /**
     * The device acknowledged every receipt up to {@code rseq}: forget them. Once none of its held receipts is
     * journaled any more the journal says so, and a restart does not bring them back.
     */
    void acknowledged(long user, int device, long rseq) {
        PendingReceipts pending = devices.device(user, device).receipts;
        if (pending == null) {
            return;
        }
        releasedCycles.clear();
        counters.add(ShardCounter.RECEIPTS_PENDING, -pending.acknowledge(rseq, releasedCycles));
        int released = releasedCycles.size();
        if (released == 0) {
            return;
        }
        if (pending.anyJournaled()) {
            for (int i = 0; i < released; i++) {
                journal.released(releasedCycles.getInt(i));
            }
        } else {
            journal.receiptsDelivered(user, device, releasedCycles.toIntArray(), released);
        }
    }

    /**
     * Drops the receipts held past the retention, oldest first, as queued messages expire: a device that never comes
     * back (or never acknowledges) must not keep them, nor their journal cycles, forever. Run now and then.
     */
    void expireAll() {
        long oldest = clock.time() - retentionMs;
        devices.forEach((user, device, state) -> {
            PendingReceipts pending = state.receipts;
            if (pending == null) {
                return;
            }
            releasedCycles.clear();
            int expired = pending.expire(oldest, releasedCycles);
            if (expired == 0) {
                return;
            }
            counters.add(ShardCounter.RECEIPTS_PENDING, -expired);
            counters.add(ShardCounter.RECEIPTS_EXPIRED, expired);
            for (int i = 0, n = releasedCycles.size(); i < n; i++) {
                journal.released(releasedCycles.getInt(i));
            }
            if (pending.isEmpty() && !state.online()) {
                state.receipts = null;
            }
        });
    }

    /**
     * At shutdown: the receipts held for sessions still open (sent, not acknowledged) are journaled as a close would,
     * so that a clean restart sends them again.
     */
    void journalHeld() {
        devices.forEach((user, device, state) -> {
            if (state.receipts != null) {
                state.receipts.journalUnacknowledged(journal, user, device);
            }
        });
    }

    /**
     * Tells {@code visitor} every receipt a sending device of this owner does not have yet: those held for it, and
     * those of group messages whose delivery lists still wait for members (not made yet, so not written). Reads only.
     */
    void visitHeld(HeldVisitor visitor) {
        devices.forEach((user, device, state) -> {
            if (state.receipts != null) {
                state.receipts.visit(user, device, state.online(), visitor);
            }
        });
        groupDeliveries.forEach(delivery -> {
            GroupMessage message = delivery.message();
            if (delivery.deliveredPending()) {
                visitor.receipt(
                        message.senderUser(), message.senderDevice(), message.id(), ReceiptKind.DELIVERED, false);
            }
            if (delivery.readPending()) {
                visitor.receipt(message.senderUser(), message.senderDevice(), message.id(), ReceiptKind.READ, false);
            }
        });
    }

    /** A group message one of this owner's devices sent: keep its delivery list here, where its receipts arrive. */
    void track(GroupMessage message) {
        track(message, member -> false);
    }

    /** As {@link #track(GroupMessage)}, for a message read back at start whose members {@code delivered} names. */
    void track(GroupMessage message, LongPredicate delivered) {
        long sender = message.senderKey();
        GroupDelivery delivery = new GroupDelivery(message);
        GroupDelivery dropped = groupDeliveries.add(sender, delivery);
        if (dropped != null) {
            counters.increment(ShardCounter.RECEIPTS_DROPPED);
        }
        int completed = delivery.gone(message.senderUser());
        for (long member : message.members()) {
            if (delivered.test(member)) {
                completed |= delivery.delivered(member);
            }
        }
        completed(sender, delivery, completed);
    }

    /** Members left {@code group} or were removed: the delivery lists here stop waiting for them. */
    void membersGone(String group, long[] members) {
        for (GroupDelivery delivery : groupDeliveries.ofGroup(group)) {
            int completed = 0;
            for (long member : members) {
                completed |= delivery.gone(member);
            }
            completed(delivery.message().senderKey(), delivery, completed);
        }
    }

    /** Sends the group receipts that {@code completed} names, and forgets the list once both went. */
    private void completed(long sender, GroupDelivery delivery, int completed) {
        GroupMessage message = delivery.message();
        if ((completed & GroupDelivery.DELIVERED) != 0) {
            counters.increment(ShardCounter.RECEIPTS_DELIVERED);
            groupReceipt(message, ReceiptKind.DELIVERED);
        }
        if ((completed & GroupDelivery.READ) != 0) {
            counters.increment(ShardCounter.RECEIPTS_READ);
            groupReceipt(message, ReceiptKind.READ);
        }
        if (delivery.complete()) {
            groupDeliveries.remove(sender, delivery);
        }
    }

    private void groupReceipt(GroupMessage message, ReceiptKind kind) {
        hold(message.senderUser(), message.senderDevice(), message.id(), 0, message.group(), kind, clock.time());
    }

    /** Replay: a receipt held for an offline device, unless it is past the retention. */
    void onReceiptPending(
            long senderUser, int senderDevice, long id, long recipientUser, ReceiptKind kind, long ts, int cycle) {
        if (ts < clock.time() - retentionMs) {
            counters.increment(ShardCounter.RECEIPTS_EXPIRED);
            journal.released(cycle);
            return;
        }
        keep(devices.device(senderUser, senderDevice), id, recipientUser, null, kind, ts, cycle, 0);
    }

    /** Replay: the device had every receipt held for it. */
    void onReceiptsDelivered(long user, int device) {
        PendingReceipts pending = devices.device(user, device).receipts;
        if (pending != null) {
            for (int cycle : pending.cycles()) {
                journal.released(cycle);
            }
            counters.add(ShardCounter.RECEIPTS_PENDING, -pending.clear());
        }
    }
}
