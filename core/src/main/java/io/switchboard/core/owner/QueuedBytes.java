package io.switchboard.core.owner;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;

/**
 * One owner's side of the byte bounds on queues: what its entries take from the server's budget ({@link
 * MessageStore#reserve}) and give back when they leave, which of its devices' queues are published as full, and the
 * {@code unavailable} answer to a send that does not fit. An entry counts {@link DeviceQueue#bytes(int)} in its
 * device's queue; in the server's budget it counts the same, except that a group message's single copy counts once per
 * owner (in its {@link GroupCopy}) and each entry sharing it only {@link DeviceQueue#ENTRY_BYTES}. Owner thread only.
 */
final class QueuedBytes {
    /**
     * protocol.md's {@code retryAfterMs} for a full queue: a queue drains when its device comes back, which the server
     * cannot foresee, so this only spaces the retries.
     */
    static final long RETRY_AFTER_MS = 1_000;

    static final String SERVER_FULL = "the server holds as many queued messages as it may; retry later";

    private final MessageStore store;
    private final CounterSet<ShardCounter> counters;
    private final SendRefusal refusal;

    QueuedBytes(OwnerWiring wiring) {
        this.store = wiring.store();
        this.counters = wiring.counters();
        this.refusal = new SendRefusal(wiring.out(), counters, ShardCounter.MESSAGES_REFUSED_FULL, RETRY_AFTER_MS);
    }

    MessageStore store() {
        return store;
    }

    /** Refuses send {@code id}: {@code unavailable} with {@code retryAfterMs}; nothing was stored or acknowledged. */
    void refuse(long connection, long id, String why) {
        refusal.refuse(connection, id, why);
    }

    /** What the entry at {@code seq} of {@code queue} counts in the server's budget: nothing for the copy it shares. */
    static long own(DeviceQueue queue, long seq) {
        return sharesBody(queue, seq) ? DeviceQueue.ENTRY_BYTES : DeviceQueue.bytes(queue.bodyLength(seq));
    }

    /**
     * Whether the entry's body is a group message's single copy, shared with other entries (counted once per owner, by
     * its {@link GroupCopy}), rather than its own: on the heap by identity (a {@code per-member} entry holds a clone,
     * even one replayed under {@code single-copy}), or read back from the group owner's journal.
     */
    static boolean sharesBody(DeviceQueue queue, long seq) {
        GroupCopy copy = queue.record(seq).copy();
        byte[] body = queue.body(seq);
        return copy != null && (body == null || copy.message().body() == body);
    }

    /** An entry joined a device's queue at {@code seq}; its bytes were taken from the budget by the caller. */
    void added(long user, int device, DeviceState state, long seq) {
        counters.add(ShardCounter.QUEUED_BYTES, own(state.queue, seq));
        publish(user, device, state);
    }

    /**
     * Takes the entry at {@code seq} out of the device's queue: its bytes go back to the budget, and its one-to-one
     * body's, on the heap, to the heap's budget for bodies.
     */
    void remove(long user, int device, DeviceState state, long seq) {
        DeviceQueue queue = state.queue;
        long bytes = own(queue, seq);
        store.release(bytes);
        if (queue.body(seq) != null && queue.record(seq).copy() == null) {
            store.releaseHeapBodies(queue.bodyLength(seq));
        }
        queue.remove(seq);
        counters.add(ShardCounter.QUEUED_BYTES, -bytes);
        publish(user, device, state);
    }

    /**
     * An entry here shares a group message's single copy: the copy counts once, until {@link #done}. Returns what it
     * adds to the server's budget (taken by the caller): the body for the first such entry, else nothing.
     */
    long shared(GroupCopy copy) {
        if (copy.chargedBytes() != 0) {
            return 0;
        }
        copy.chargedBytes(copy.message().bodyLength());
        counters.add(ShardCounter.QUEUED_BYTES, copy.chargedBytes());
        return copy.chargedBytes();
    }

    /** Every member here has the group message, or lost it: its single copy no longer counts. */
    void done(GroupCopy copy) {
        store.release(copy.chargedBytes());
        counters.add(ShardCounter.QUEUED_BYTES, -copy.chargedBytes());
        copy.chargedBytes(0);
    }

    /** Takes {@code bytes} whatever the budget (replay), or gives them back when negative. */
    void charge(long bytes) {
        if (bytes >= 0) {
            store.charge(bytes);
        } else {
            store.release(-bytes);
        }
    }

    private void publish(long user, int device, DeviceState state) {
        boolean full = state.queue.isFull();
        if (full != state.publishedFull) {
            state.publishedFull = full;
            store.full(user, device, full);
        }
    }
}
