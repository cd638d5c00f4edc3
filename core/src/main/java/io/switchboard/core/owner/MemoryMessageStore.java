package io.switchboard.core.owner;

/**
 * Queues held on the heap only: fast, and lost on restart (the {@code journal: memory} baseline). Each device's queue
 * is bounded by {@code maxQueuedPerDevice}.
 */
public final class MemoryMessageStore implements MessageStore {
    private final int maxQueuedPerDevice;

    public MemoryMessageStore(int maxQueuedPerDevice) {
        this.maxQueuedPerDevice = maxQueuedPerDevice;
    }

    @Override
    public DeviceQueue queue(long user, int device) {
        return new MemoryDeviceQueue(maxQueuedPerDevice);
    }

    @Override
    public void close() {}
}
