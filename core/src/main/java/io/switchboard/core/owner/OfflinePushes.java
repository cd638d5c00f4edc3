package io.switchboard.core.owner;

/**
 * One push per device while it stays offline: the first message queued for a device without a session, when the
 * device has a push registration, hands a push to the dispatcher; later ones are only counted as collapsed, until a
 * session of the device opens ({@link DeviceState#pushed} is cleared). A push the dispatcher's full queue refused is
 * not remembered, so the next message tries again. Costs one volatile read a message while no device has a
 * registration, and allocates nothing. Owner thread only.
 */
final class OfflinePushes {
    private final PushTrigger push;

    OfflinePushes(PushTrigger push) {
        this.push = push;
    }

    /** A message waits in the queue of {@code state}'s device, which has no session. */
    void waiting(long user, DeviceState state) {
        if (state.pushed) {
            push.collapsed();
        } else if (push.registered(user, state.device)) {
            state.pushed = push.offer(user, state.device);
        }
    }
}
