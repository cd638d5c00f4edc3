package io.switchboard.core.owner;

import io.switchboard.core.protocol.EnvelopeType;
import org.agrona.DirectBuffer;

/**
 * The messages one device has not acknowledged, in seq order. Seqs are consecutive from 1 for the life of the device;
 * {@link #headSeq()} is the oldest still held. A message leaves only by {@link #remove} (the device's {@code recv}).
 * Not thread-safe: owned by the thread that owns the device's user.
 */
public interface DeviceQueue {
    int size();

    /** Whether the queue is at its bound in messages (seq span) or in bytes: not even an empty body fits. */
    boolean isFull();

    /** Whether one more entry with a body of {@code bodyLength} bytes stays within both bounds. */
    boolean hasRoom(int bodyLength);

    /** What the entries held count against the bound in bytes ({@link QueuedMessage#bytes()} each). */
    long bytes();

    /** The oldest unacknowledged seq, or {@link #nextSeq()} when empty. */
    long headSeq();

    /** The seq the next appended message gets. */
    long nextSeq();

    /** Stores a copy of the body and returns the message's seq. The caller has checked {@link #hasRoom}. */
    long append(MessageRecord record, EnvelopeType type, DirectBuffer body, int offset, int length);

    /**
     * Stores the body itself, shared with other queues (a group message's single copy); returns the seq. A group
     * message is queued even past the bounds: it was acknowledged before its members' owners saw their queues.
     */
    long appendShared(MessageRecord record, EnvelopeType type, byte[] body);

    /**
     * Appends a message whose body stays in the journal (envelope {@code envelope} of the accepted record at {@code
     * journalIndex}), to be read back on delivery; returns the seq. The caller has checked {@link #hasRoom}.
     */
    long appendJournaled(MessageRecord record, EnvelopeType type, int bodyLength, long journalIndex, int envelope);

    /** As {@link #appendJournaled}, with the seq it had before a restart (see {@link #restore}). */
    void restoreJournaled(
            long seq, MessageRecord record, EnvelopeType type, int bodyLength, long journalIndex, int envelope);

    /**
     * Puts back a message read from the journal at start, with the seq it had. Seqs arrive in increasing order;
     * skipped seqs (acknowledged, or never journaled) stay empty.
     */
    void restore(long seq, MessageRecord record, EnvelopeType type, DirectBuffer body, int offset, int length);

    /** As {@link #restore}, keeping the body itself (a group message's single copy). */
    void restoreShared(long seq, MessageRecord record, EnvelopeType type, byte[] body);

    /** The message with this seq, or null when it was acknowledged or never existed. */
    QueuedMessage get(long seq);

    /** Acknowledges the message with this seq; returns it, or null when there was none (a repeated recv). */
    QueuedMessage remove(long seq);
}
