package io.switchboard.core.owner;

/**
 * Where the queues of unacknowledged messages live. In memory for now; the journal puts a durable implementation
 * behind the same interface. Every method is called by the single thread that owns the user.
 */
public interface MessageStore extends AutoCloseable {
    /** The device's queue, created empty on first use. */
    DeviceQueue queue(long user, int device);

    @Override
    void close();
}
