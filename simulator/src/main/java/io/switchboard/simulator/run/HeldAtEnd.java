package io.switchboard.simulator.run;

import io.switchboard.core.owner.HeldVisitor;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.server.SwitchboardServer;
import io.switchboard.simulator.net.DeviceSlots;
import java.util.ArrayList;
import java.util.List;
import org.agrona.collections.IntHashSet;

/**
 * Of what the oracle is still owed after a drain that did not settle, what the embedded server still holds: each
 * (message, recipient device) the oracle misses and that is still in that device's queue at the server, unsent or
 * written to a session the {@link EndBarrier} did not confirm, is undelivered at the end; and each missing receipt the
 * server still holds for its sending device, likewise, or has not made yet because it still holds the message for a
 * recipient device that did not acknowledge it (the clients stop acknowledging at the barrier; a group message's
 * delivery list says the same at the sender's owner). An owed delivery the server no longer holds, or wrote to a
 * confirmed session that never got it, was lost. A missing read receipt whose read the server reports ignored after it
 * had forgotten unread messages past its bounds ({@link HeldVisitor#readIgnored}) never comes, by design: a read
 * ignored, not a receipt error. Entry by entry, never from a count, so that a loss in transit is not hidden behind a
 * backlog.
 *
 * <p>Each owner of the server's state walks its own queues and held receipts on its own terms ({@link
 * SwitchboardServer#visitHeld}) with a visitor of its own, which only reads the oracle and the barrier: both stopped
 * changing before the walk, and the router's hand-over of the walk orders those reads after their last writes. Costs
 * one walk over the server's queue entries and held receipts, a lookup in the oracle's arrays per entry, and no copy
 * of either.
 *
 * @param messages owed deliveries the server still holds
 * @param receipts missing receipts the server still holds, or has not made yet
 * @param readsIgnored messages whose read receipt is missing because the server ignored a read of them after
 *     forgetting unread messages
 * @param barrierMs how long the {@link EndBarrier} took
 * @param unconfirmed devices the barrier asked that had not answered by its limit
 */
record HeldAtEnd(long messages, long receipts, long readsIgnored, long barrierMs, int unconfirmed) {
    static final HeldAtEnd NOTHING = new HeldAtEnd(0, 0, 0, 0, 0);

    /** How long the server's owners have to walk what they hold. */
    private static final long WALK_LIMIT_MS = 60_000;

    static HeldAtEnd ask(SwitchboardServer server, Oracle oracle, DeviceSlots slots, EndBarrier barrier)
            throws InterruptedException {
        List<Counter> counters = new ArrayList<>();
        server.visitHeld(
                () -> {
                    Counter counter = new Counter(oracle, slots, barrier);
                    counters.add(counter);
                    return counter;
                },
                WALK_LIMIT_MS);
        long messages = 0;
        long receipts = 0;
        // A group message's members may be held by several owners, each of which may have ignored a read of it.
        IntHashSet readsIgnored = new IntHashSet();
        for (Counter counter : counters) {
            messages += counter.messages();
            receipts += counter.receipts();
            readsIgnored.addAll(counter.readsIgnored());
        }
        return new HeldAtEnd(messages, receipts, readsIgnored.size(), barrier.tookMs(), barrier.unconfirmed());
    }

    /** One owner's count, made on that owner's thread. */
    static final class Counter implements HeldVisitor {
        private final Oracle oracle;
        private final DeviceSlots slots;
        private final EndBarrier barrier;
        /**
         * The one-to-one messages whose missing receipt this owner already counted: every device of a recipient is held
         * by one owner, so an owner of its own can count each once; at most one entry per message held here.
         */
        private final IntHashSet receiptPending = new IntHashSet();

        /** The messages a read of which this owner ignored and whose read receipt is missing. */
        private final IntHashSet readsIgnored = new IntHashSet();

        private long messages;
        private long receipts;

        Counter(Oracle oracle, DeviceSlots slots, EndBarrier barrier) {
            this.oracle = oracle;
            this.slots = slots;
            this.barrier = barrier;
        }

        long messages() {
            return messages;
        }

        long receipts() {
            return receipts;
        }

        IntHashSet readsIgnored() {
            return readsIgnored;
        }

        @Override
        public void message(long user, int device, long senderUser, int senderDevice, long id, boolean written) {
            int recipient = slots.slot((int) (user - 1), device);
            int index = oracle.indexOf(slots.slot((int) (senderUser - 1), senderDevice), id);
            if (index < 0) {
                return;
            }
            if (oracle.owes(index, recipient) && !(written && barrier.confirmed(recipient))) {
                messages++;
            }
            if (!oracle.isGroup(index)
                    && oracle.missingReceipt(index, ReceiptKind.DELIVERED)
                    && receiptPending.add(index)) {
                receipts++;
            }
        }

        @Override
        public void receipt(long senderUser, int senderDevice, long id, ReceiptKind kind, boolean written) {
            int sender = slots.slot((int) (senderUser - 1), senderDevice);
            int index = oracle.indexOf(sender, id);
            if (index >= 0 && oracle.missingReceipt(index, kind) && !(written && barrier.confirmed(sender))) {
                receipts++;
            }
        }

        @Override
        public void readIgnored(long user, long senderUser, int senderDevice, long id) {
            int index = oracle.indexOf(slots.slot((int) (senderUser - 1), senderDevice), id);
            if (index >= 0
                    && oracle.readerOf(index, (int) (user - 1))
                    && oracle.missingReceipt(index, ReceiptKind.READ)) {
                readsIgnored.add(index);
            }
        }
    }
}
