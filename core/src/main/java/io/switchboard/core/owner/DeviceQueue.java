package io.switchboard.core.owner;

import io.switchboard.core.protocol.EnvelopeType;
import org.agrona.DirectBuffer;

/**
 * The messages one device has not acknowledged, in seq order. Seqs are consecutive from 1 for the life of the device;
 * {@link #headSeq()} is the oldest still held. A message leaves only by {@link #remove} (the device's {@code recv}).
 * Not thread-safe: owned by the thread that owns the device's user.
 */
public interface DeviceQueue {
    /**
     * What an entry costs the heap besides its body, as the byte bounds count it: its two reference and two long slots
     * (24 bytes) with the ring's doubling slack (48), the body array's header (16) and a share of its {@link
     * MessageRecord} (about 64). Counted so that a flood of empty bodies is bounded in bytes too, not only in messages.
     */
    int ENTRY_BYTES = 128;

    /** What an entry with a body of {@code bodyLength} bytes counts in its device's queued bytes. */
    static long bytes(int bodyLength) {
        return (long) bodyLength + ENTRY_BYTES;
    }

    int size();

    /** Whether the queue is at its bound in messages (seq span) or in bytes: not even an empty body fits. */
    boolean isFull();

    /** Whether one more entry with a body of {@code bodyLength} bytes stays within both bounds. */
    boolean hasRoom(int bodyLength);

    /**
     * What the entries held count against the bound in bytes: {@link #bytes(int)} of each body, wherever it is. The
     * bounds in bytes are on what the queues hold, on the heap or in the journal; the heap's budget for bodies is apart.
     */
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

    /** The record of the entry with this seq, or null when it was acknowledged or never existed. */
    MessageRecord record(long seq);

    /** The entry's envelope type; only for a seq whose {@link #record} is not null, as all below. */
    EnvelopeType type(long seq);

    /**
     * The entry's body, or null when it is only in the journal: then {@link #journalIndex} and {@link #envelope} say
     * where to read a one-to-one body back; a group message's is read from its stored copy ({@code
     * GroupMessage#readBody}).
     */
    byte[] body(long seq);

    int bodyLength(long seq);

    /** Where the journal holds the body, for an entry whose {@link #body} is null. */
    long journalIndex(long seq);

    /** Which envelope of the journal's record is the entry's. */
    int envelope(long seq);

    /** Acknowledges the message with this seq; false when there was none (a repeated recv). */
    boolean remove(long seq);
}
