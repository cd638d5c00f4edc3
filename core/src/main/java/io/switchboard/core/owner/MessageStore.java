package io.switchboard.core.owner;

/**
 * Where the queues of unacknowledged messages live, and the server's bound on the bytes they hold. One store serves
 * every owner of a server. {@link #queue} is called by the single thread that owns the user; the budget and the
 * published full queues are thread-safe, since a group's owner checks the queues of members that other owners hold.
 */
public interface MessageStore extends AutoCloseable {
    /** The device's queue, created empty on first use. */
    DeviceQueue queue(long user, int device);

    /**
     * Takes {@code bytes} from the server's budget of queued bytes, before a send is acknowledged; false, taking
     * nothing, when they would pass it. Any thread.
     */
    boolean reserve(long bytes);

    /**
     * Takes {@code bytes} whatever the budget: for what was acknowledged already (a journal replayed at start, a group
     * message's fan-out after its owner's ack), which must be held. Any thread.
     */
    void charge(long bytes);

    /** Gives back bytes taken by {@link #reserve} or {@link #charge}. Any thread. */
    void release(long bytes);

    /** The bytes taken from the budget: held by queues, or reserved for group messages on their way to them. */
    long queuedBytes();

    /**
     * Takes {@code bytes} of bodies (a one-to-one message's, or a group message's stored copy) from the heap's budget
     * for bodies; false, taking nothing, when they
     * would pass it: the message's bodies then stay in the journal only, or, with no journal to keep them, it is
     * refused. Any thread.
     */
    boolean reserveHeapBodies(long bytes);

    /** Gives back bytes taken by {@link #reserveHeapBodies}. Any thread. */
    void releaseHeapBodies(long bytes);

    /** Bodies held on the heap: one-to-one bodies in queues, and stored group copies. */
    long heapBodyBytes();

    /**
     * Publishes whether a device's queue is full ({@link DeviceQueue#isFull()}), so that a group's owner refuses a send
     * before it is stored rather than queue it past the bound. Called by the user's owner when it changes.
     */
    void full(long user, int device, boolean full);

    /**
     * Whether a device of one of {@code users} (sorted) has a full queue, the sending device aside (it gets no copy).
     * Any thread.
     */
    boolean anyFull(long[] users, long senderUser, int senderDevice);

    @Override
    void close();
}
