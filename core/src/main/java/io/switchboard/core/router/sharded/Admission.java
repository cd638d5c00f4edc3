package io.switchboard.core.router.sharded;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.Owner;
import io.switchboard.core.owner.SendRefusal;
import io.switchboard.core.protocol.ProtocolLimits;

/**
 * Whether a shard takes a new send (one-to-one or group) or refuses it because deliveries fall behind: when an I/O
 * loop its answer or its message would be written to has its outbox above the high-water mark (the loop drains slower
 * than the shards write; a share of the sends that grows with the backlog, every one at twice the mark: {@link
 * EarlyRefusal}), or when the send waited in the inbox longer than {@code router.maxSendWaitMs} (the shard itself is
 * behind). A refused send gets {@code unavailable} with {@code retryAfterMs} and nothing is stored or
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
    /** The early refusals' draws: fixed, so that a test's shard refuses the same sends each time. */
    private static final long SEED = 0x5EED_0F_AD_3155L;

    private final OutboxWriter outboxes;
    private final Owner owner;
    private final long maxSendWaitNs;
    private final SendRefusal refusal;
    private final EarlyRefusal early;
    /** Scratch for the recipient's sessions: one per device at most. */
    private final long[] sessions = new long[ProtocolLimits.MAX_DEVICE + 1];

    Admission(OutboxWriter outboxes, Owner owner, long maxSendWaitNs, CounterSet<ShardCounter> counters) {
        this.outboxes = outboxes;
        this.owner = owner;
        this.maxSendWaitNs = maxSendWaitNs;
        this.refusal = new SendRefusal(
                outboxes, counters, ShardCounter.MESSAGES_REFUSED_OVERLOAD, SendRefusal.BEHIND_RETRY_AFTER_MS);
        this.early = EarlyRefusal.forOutbox(outboxes.highWaterBytes(), outboxes.capacityBytes(), SEED);
    }

    /**
     * True when the one-to-one send {@code id} to {@code recipient} from {@code connection}, decoded on its I/O loop at
     * {@code decodedNs} ({@link System#nanoTime()}), may go on to the owner; else answers it {@code unavailable} and
     * returns false.
     */
    boolean admit(long connection, long id, long decodedNs, long recipient) {
        if (waitedTooLong(decodedNs)
                || early.refuse(Math.max(outboxes.occupancy(connection), recipientOccupancy(recipient)))) {
            refusal.refuse(connection, id, SendRefusal.BEHIND);
            return false;
        }
        return true;
    }

    /** As {@link #admit(long, long, long, long)}, for a send whose recipients may be on any loop (a group's). */
    boolean admitToAnyLoop(long connection, long id, long decodedNs) {
        if (waitedTooLong(decodedNs) || early.refuse(outboxes.maxOccupancy())) {
            refusal.refuse(connection, id, SendRefusal.BEHIND);
            return false;
        }
        return true;
    }

    private boolean waitedTooLong(long decodedNs) {
        return System.nanoTime() - decodedNs > maxSendWaitNs;
    }

    /** The most any outbox of the recipient's sessions on this shard holds (one draw for all, not one each). */
    private int recipientOccupancy(long recipient) {
        int most = 0;
        for (int i = 0, n = owner.sessions(recipient, sessions); i < n; i++) {
            most = Math.max(most, outboxes.occupancy(sessions[i]));
        }
        return most;
    }
}
