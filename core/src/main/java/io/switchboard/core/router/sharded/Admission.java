package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.SendRefusal;

/**
 * Whether a shard takes a new send (one-to-one or group) or refuses it because deliveries fall behind: when an I/O
 * loop's outbox is above its high-water mark (the loop drains slower than the shards write), or when the send waited in
 * the inbox longer than {@code router.maxSendWaitMs} (the shard itself is behind). A refused send gets {@code
 * unavailable} with {@code retryAfterMs} and nothing is stored or acknowledged, so the work a shard accepts stays
 * what the loops can deliver soon, instead of growing a backlog that every later message waits behind. Only new
 * sends are refused: {@code recv}s, reads and session changes are what drain the backlog. Shard thread only.
 */
final class Admission {
    private final OutboxWriter outboxes;
    private final long maxSendWaitNs;
    private final SendRefusal refusal;

    Admission(OutboxWriter outboxes, long maxSendWaitNs, CounterSet<ShardCounter> counters) {
        this.outboxes = outboxes;
        this.maxSendWaitNs = maxSendWaitNs;
        this.refusal = new SendRefusal(
                outboxes, counters, ShardCounter.MESSAGES_REFUSED_OVERLOAD, SendRefusal.BEHIND_RETRY_AFTER_MS);
    }

    /**
     * True when the send {@code id} from {@code connection}, decoded on its I/O loop at {@code decodedNs} ({@link
     * System#nanoTime()}), may go on to the owner; else answers it {@code unavailable} and returns false.
     */
    boolean admit(long connection, long id, long decodedNs) {
        if (System.nanoTime() - decodedNs <= maxSendWaitNs && !outboxes.behind()) {
            return true;
        }
        refusal.refuse(connection, id, SendRefusal.BEHIND);
        return false;
    }
}
