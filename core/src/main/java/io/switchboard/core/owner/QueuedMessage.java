package io.switchboard.core.owner;

import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.protocol.EnvelopeType;

/**
 * One device's copy of a message: its delivery seq, its envelope (encrypted for that device) and the shared record.
 * The body is on the heap, or, for a journaled message past the heap's budget for bodies, only in the journal: then
 * {@link #body()} is null, and {@link #journalIndex()} and {@link #envelope()} say where to read a one-to-one body
 * back; a group message's is read from its stored copy ({@link GroupMessage#readBody}).
 */
public final class QueuedMessage {
    /**
     * What an entry costs the heap besides its body, as the byte bounds count it: this object (32 bytes), the body
     * array's header (16), its ring slot with the ring's doubling slack (16) and a share of its {@link MessageRecord}
     * (about 64). Counted so that a flood of empty bodies is bounded in bytes too, not only in messages.
     */
    public static final int ENTRY_BYTES = 128;

    private final long seq;
    private final MessageRecord record;
    private final EnvelopeType type;
    private final byte[] body;
    private final int bodyLength;
    private final long journalIndex;
    private final int envelope;

    /** An entry whose body is on the heap. */
    public QueuedMessage(long seq, MessageRecord record, EnvelopeType type, byte[] body) {
        this(seq, record, type, body, body.length, -1, 0);
    }

    /** An entry whose body is only in the journal: envelope {@code envelope} of the accepted record at the index. */
    public QueuedMessage(
            long seq, MessageRecord record, EnvelopeType type, int bodyLength, long journalIndex, int envelope) {
        this(seq, record, type, null, bodyLength, journalIndex, envelope);
    }

    private QueuedMessage(
            long seq,
            MessageRecord record,
            EnvelopeType type,
            byte[] body,
            int bodyLength,
            long journalIndex,
            int envelope) {
        this.seq = seq;
        this.record = record;
        this.type = type;
        this.body = body;
        this.bodyLength = bodyLength;
        this.journalIndex = journalIndex;
        this.envelope = envelope;
    }

    /** What an entry with a body of {@code bodyLength} bytes counts in its device's queued bytes. */
    public static long bytes(int bodyLength) {
        return (long) bodyLength + ENTRY_BYTES;
    }

    public long seq() {
        return seq;
    }

    public MessageRecord record() {
        return record;
    }

    public EnvelopeType type() {
        return type;
    }

    /** The body, or null when it is only in the journal. */
    public byte[] body() {
        return body;
    }

    public int bodyLength() {
        return bodyLength;
    }

    /** Where the journal holds the body, for an entry whose {@link #body()} is null. */
    public long journalIndex() {
        return journalIndex;
    }

    /** Which envelope of the journal's record is this entry's. */
    public int envelope() {
        return envelope;
    }

    /**
     * What this entry counts in its device's queued bytes: its body and {@link #ENTRY_BYTES}, wherever the body is
     * (the bounds in bytes are on what the queues hold, heap or journal; the heap's budget for bodies is apart).
     */
    public long bytes() {
        return bytes(bodyLength);
    }

    /** Whether the body is this one-to-one entry's own copy on the heap, counted in the heap's budget for bodies. */
    boolean bodyOnHeap() {
        return body != null && record.copy() == null;
    }

    /**
     * Whether the body is a group message's single copy, shared with other entries (counted once per owner, by its
     * {@link GroupCopy}), rather than this entry's own: on the heap by identity (a {@code per-member} entry holds a
     * clone, even one replayed under {@code single-copy}), or read back from the group owner's journal.
     */
    boolean sharesBody() {
        GroupCopy copy = record.copy();
        return copy != null && (body == null || copy.message().body() == body);
    }
}
