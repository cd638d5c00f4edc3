package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.Owner;
import io.switchboard.core.owner.SendRefusal;
import io.switchboard.core.protocol.ProtocolLimits;

/**
 * Whether a shard takes a new send (one-to-one or group) or refuses it because deliveries fall behind: when an I/O
 * loop its answer or its message would be written to has its outbox above the high-water mark (the loop drains slower
 * than the shards write), or when the send waited in the inbox longer than {@code router.maxSendWaitMs} (the shard
 * itself is behind). A refused send gets {@code unavailable} with {@code retryAfterMs} and nothing is stored or
 * acknowledged, so the work a shard accepts stays what the loops can deliver soon, instead of growing a backlog that
 * every later message waits behind. Only new sends are refused: {@code recv}s, reads and session changes are what drain
 * the backlog. Shard thread only.
 *
 * <p>Which loops count: for a one-to-one send, the sender's (its ack) and those of the recipient's devices that have a
 * session here (its message; a device offline takes it from its queue later, on whatever loop it comes back to), so
 * one slow loop refuses only the sends that would wait behind it; for a group send, whose members may be on any loop,
 * every loop.
 */
final class Admission {
    private final OutboxWriter outboxes;
    private final Owner owner;
    private final long maxSendWaitNs;
    private final SendRefusal refusal;
    /** Scratch for the recipient's sessions: one per device at most. */
    private final long[] sessions = new long[ProtocolLimits.MAX_DEVICE + 1];

    Admission(OutboxWriter outboxes, Owner owner, long maxSendWaitNs, CounterSet<ShardCounter> counters) {
        this.outboxes = outboxes;
        this.owner = owner;
        this.maxSendWaitNs = maxSendWaitNs;
        this.refusal = new SendRefusal(
                outboxes, counters, ShardCounter.MESSAGES_REFUSED_OVERLOAD, SendRefusal.BEHIND_RETRY_AFTER_MS);
    }

    /**
     * True when the one-to-one send {@code id} to {@code recipient} from {@code connection}, which waited {@code
     * waitedNs} since its I/O loop decoded it, may go on to the owner; else answers it {@code unavailable} and returns
     * false.
     */
    boolean admit(long connection, long id, long waitedNs, long recipient) {
        if (waitedNs > maxSendWaitNs || outboxes.behind(connection) || recipientBehind(recipient)) {
            refusal.refuse(connection, id, SendRefusal.BEHIND);
            return false;
        }
        return true;
    }

    /** As {@link #admit(long, long, long, long)}, for a send whose recipients may be on any loop (a group's). */
    boolean admitToAnyLoop(long connection, long id, long waitedNs) {
        if (waitedNs > maxSendWaitNs || outboxes.behind()) {
            refusal.refuse(connection, id, SendRefusal.BEHIND);
            return false;
        }
        return true;
    }

    /**
     * Whether a loop one of the recipient's devices has a session on is behind. Most sends find no loop behind at all,
     * and a look at every loop's outbox costs less than a look up of the recipient's sessions.
     */
    private boolean recipientBehind(long recipient) {
        if (!outboxes.behind()) {
            return false;
        }
        for (int i = 0, n = owner.sessions(recipient, sessions); i < n; i++) {
            if (outboxes.behind(sessions[i])) {
                return true;
            }
        }
        return false;
    }
}
