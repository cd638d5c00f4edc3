package io.switchboard.core.owner;

import io.switchboard.core.config.RouterContext;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queues held on the heap: each device's queue is bounded by {@code maxQueuedPerDevice} messages and {@code
 * maxQueuedBytesPerDevice} bytes, and all of them together by {@code maxQueuedBytes}; the one-to-one bodies they hold
 * on the heap by {@code maxHeapBodyBytes} (beyond it, journaled bodies stay in the journal only). Without a journal
 * they are lost on restart (the {@code journal: memory} baseline); with one they are replayed into it at start.
 */
public final class MemoryMessageStore implements MessageStore {
    private final int maxQueuedPerDevice;
    private final long maxQueuedBytesPerDevice;
    private final long maxQueuedBytes;
    private final long maxHeapBodyBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong heapBodyBytes = new AtomicLong();
    /**
     * Users with a full device queue, and the mask of those devices. Written only by each user's owner, and only when a
     * queue fills or empties, so the common case (no full queue) costs a group send one {@code isEmpty}.
     */
    private final Map<Long, Long> fullDevices = new ConcurrentHashMap<>();

    public MemoryMessageStore(
            int maxQueuedPerDevice, long maxQueuedBytesPerDevice, long maxQueuedBytes, long maxHeapBodyBytes) {
        this.maxQueuedPerDevice = maxQueuedPerDevice;
        this.maxQueuedBytesPerDevice = maxQueuedBytesPerDevice;
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxHeapBodyBytes = maxHeapBodyBytes;
    }

    /** The store with the router's bounds ({@code router.maxQueued*}). */
    public static MemoryMessageStore from(RouterContext router) {
        return new MemoryMessageStore(
                router.maxQueuedPerDevice(),
                router.maxQueuedBytesPerDevice(),
                router.maxQueuedBytes(),
                router.maxHeapBodyBytes());
    }

    @Override
    public DeviceQueue queue(long user, int device) {
        return new MemoryDeviceQueue(maxQueuedPerDevice, maxQueuedBytesPerDevice);
    }

    @Override
    public boolean reserve(long bytes) {
        return reserve(queuedBytes, bytes, maxQueuedBytes);
    }

    @Override
    public boolean reserveHeapBodies(long bytes) {
        return reserve(heapBodyBytes, bytes, maxHeapBodyBytes);
    }

    @Override
    public void releaseHeapBodies(long bytes) {
        heapBodyBytes.addAndGet(-bytes);
    }

    @Override
    public long heapBodyBytes() {
        return heapBodyBytes.get();
    }

    /** Adds {@code bytes} to {@code held} unless that would pass {@code max}; never passes it. */
    private static boolean reserve(AtomicLong held, long bytes, long max) {
        for (long now = held.get(); ; now = held.get()) {
            if (now + bytes > max) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    @Override
    public void charge(long bytes) {
        queuedBytes.addAndGet(bytes);
    }

    @Override
    public void release(long bytes) {
        queuedBytes.addAndGet(-bytes);
    }

    @Override
    public long queuedBytes() {
        return queuedBytes.get();
    }

    @Override
    public void full(long user, int device, boolean full) {
        long bit = 1L << device;
        fullDevices.compute(user, (key, mask) -> {
            long devices = mask == null ? 0 : mask;
            devices = full ? devices | bit : devices & ~bit;
            return devices == 0 ? null : devices;
        });
    }

    @Override
    public boolean anyFull(long[] users, long senderUser, int senderDevice) {
        if (fullDevices.isEmpty()) {
            return false;
        }
        // From the smaller side: a few full queues against a large group, or a small group against many full queues.
        if (fullDevices.size() < users.length) {
            for (Map.Entry<Long, Long> entry : fullDevices.entrySet()) {
                long user = entry.getKey();
                if (Arrays.binarySearch(users, user) >= 0 && full(user, entry.getValue(), senderUser, senderDevice)) {
                    return true;
                }
            }
            return false;
        }
        for (long user : users) {
            Long mask = fullDevices.get(user);
            if (mask != null && full(user, mask, senderUser, senderDevice)) {
                return true;
            }
        }
        return false;
    }

    private static boolean full(long user, long mask, long senderUser, int senderDevice) {
        return (user == senderUser ? mask & ~(1L << senderDevice) : mask) != 0;
    }

    @Override
    public void close() {}
}
