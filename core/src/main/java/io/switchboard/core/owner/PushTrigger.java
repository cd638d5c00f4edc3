package io.switchboard.core.owner;

/**
 * Where an owner hands the wake-up of a device that has no session (protocol.md, Push): the push dispatcher, which
 * talks to the platforms on threads of its own. Thread-safe; no method blocks or allocates, so that an owner's thread
 * never waits for Apple or Google.
 */
public interface PushTrigger {
    /** Never pushes: for owners built without a server around them (benchmarks, unit tests). */
    PushTrigger NONE = new PushTrigger() {
        @Override
        public boolean registered(long user, int device) {
            return false;
        }

        @Override
        public boolean offer(long user, int device) {
            return false;
        }
    };

    /** Whether the device has a push registration. */
    boolean registered(long user, int device);

    /** Hands one push for the device on; false when the dispatcher's queue is full (the push is dropped). */
    boolean offer(long user, int device);
}
