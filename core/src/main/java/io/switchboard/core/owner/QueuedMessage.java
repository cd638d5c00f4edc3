package io.switchboard.core.owner;

import io.switchboard.core.protocol.EnvelopeType;

/** One device's copy of a message: its delivery seq, its envelope (encrypted for that device) and the shared record. */
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

    public QueuedMessage(long seq, MessageRecord record, EnvelopeType type, byte[] body) {
        this.seq = seq;
        this.record = record;
        this.type = type;
        this.body = body;
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

    public byte[] body() {
        return body;
    }

    /** What this entry counts in its device's queued bytes: its body and {@link #ENTRY_BYTES}. */
    public long bytes() {
        return bytes(body.length);
    }

    /**
     * Whether the body is a group message's single copy, shared with other entries (counted once per owner, by its
     * {@link GroupCopy}), rather than this entry's own. By identity: a {@code per-member} entry holds a clone, even one
     * replayed under {@code single-copy}.
     */
    boolean sharesBody() {
        GroupCopy copy = record.copy();
        return copy != null && copy.message().body() == body;
    }
}
