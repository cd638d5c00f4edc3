package io.switchboard.core.owner;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;

/**
 * One push per device while it stays offline: the first message queued for a device without a session, when the
 * device has a push registration, hands a push to the dispatcher; later ones are only counted as collapsed, until a
 * session of the device opens ({@link DeviceState#pushed} is cleared). A push the dispatcher's full queue refused is
 * not remembered, so the next message tries again, as does the owner's housekeeping ({@link #unpushed}), which also
 * pushes the devices whose messages were queued across a restart. Costs one volatile read a message while no device
 * has a registration, and allocates nothing; counts in the owner's own counters. Owner thread only.
 */
final class OfflinePushes {
    private final PushTrigger push;
    private final CounterSet<ShardCounter> counters;

    OfflinePushes(PushTrigger push, CounterSet<ShardCounter> counters) {
        this.push = push;
        this.counters = counters;
    }

    /** A message waits in the queue of {@code state}'s device, which has no session. */
    void waiting(long user, DeviceState state) {
        if (state.pushed) {
            counters.increment(ShardCounter.PUSH_COLLAPSED);
        } else if (push.registered(user, state.device)) {
            state.pushed = push.offer(user, state.device);
            counters.increment(state.pushed ? ShardCounter.PUSH_REQUESTED : ShardCounter.PUSH_DROPPED);
        }
    }

    /**
     * Messages wait in the queue of {@code state}'s device, which has no session, and no new message may come to push
     * it: pushes it unless a push went out since its last session (nothing is counted as collapsed).
     */
    void unpushed(long user, DeviceState state) {
        if (!state.pushed) {
            waiting(user, state);
        }
    }
}
