package io.switchboard.core.owner;

import io.switchboard.core.protocol.EnvelopeType;

/** One device's copy of a message: its delivery seq, its envelope (encrypted for that device) and the shared record. */
public final class QueuedMessage {
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
}
