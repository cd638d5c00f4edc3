package io.switchboard.core.owner;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;

/**
 * The {@code unavailable} answer to a send refused for now, with the {@code retryAfterMs} its cause gives: nothing was
 * stored or acknowledged, and the client may send it again later. Counted as rejected and under its cause. One per
 * cause and owner thread (it reuses one frame).
 */
public final class SendRefusal {
    /**
     * protocol-notes' {@code retryAfterMs} for a send refused because the server is behind on deliveries (a shard's
     * outbox or inbox, an I/O loop's tasks): about what a backlog at its mark takes to drain, so a client that waits
     * this long finds room, and a client that waits at all stops adding to it.
     */
    public static final long BEHIND_RETRY_AFTER_MS = 100;

    public static final String BEHIND = "the server is behind on deliveries; retry later";

    /**
     * protocol-notes' {@code retryAfterMs} for a send the journal could not store (a full or failing disk): room comes
     * back when someone frees it, at no time the server can foresee, so this only spaces the retries, as the queue
     * bound's does.
     */
    public static final long STORAGE_RETRY_AFTER_MS = 1_000;

    private final Outbound out;
    private final CounterSet<ShardCounter> counters;
    private final ShardCounter cause;
    private final long retryAfterMs;
    private final Frame error = new Frame();

    /**
     * @param cause the counter of the refusal's cause; null when what refused counts it itself (the journal counts the
     *     records it could not write)
     */
    public SendRefusal(Outbound out, CounterSet<ShardCounter> counters, ShardCounter cause, long retryAfterMs) {
        this.out = out;
        this.counters = counters;
        this.cause = cause;
        this.retryAfterMs = retryAfterMs;
    }

    /** Refuses send {@code id} of {@code connection}, saying {@code why}. */
    public void refuse(long connection, long id, String why) {
        counters.increment(ShardCounter.MESSAGES_REJECTED);
        if (cause != null) {
            counters.increment(cause);
        }
        out.frame(
                connection,
                error.reset(FrameType.ERROR)
                        .code(ErrorCode.UNAVAILABLE)
                        .id(id)
                        .retryAfterMs(retryAfterMs)
                        .message(why));
    }
}
