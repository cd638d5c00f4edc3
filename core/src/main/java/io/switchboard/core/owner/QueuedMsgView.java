package io.switchboard.core.owner;

import io.switchboard.core.protocol.EnvelopeType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A {@link MsgView} over one queue entry, re-wrapped for each delivery so that delivering allocates nothing. Owner
 * thread only.
 */
final class QueuedMsgView implements MsgView {
    private final UnsafeBuffer body = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer mediaId = new UnsafeBuffer(0, 0);
    private QueuedMessage message;
    private MessageRecord record;
    private long seq;

    /** Over an entry whose body is on the heap. */
    QueuedMsgView wrap(long seq, QueuedMessage message) {
        return wrap(seq, message, message.body(), message.bodyLength());
    }

    /** Over an entry whose body was read back (from the journal) into the first {@code length} bytes of {@code body}. */
    QueuedMsgView wrap(long seq, QueuedMessage message, byte[] body, int length) {
        this.seq = seq;
        this.message = message;
        this.record = message.record();
        this.body.wrap(body, 0, length);
        if (record.mediaId() != null) {
            mediaId.wrap(record.mediaId());
        }
        return this;
    }

    @Override
    public long seq() {
        return seq;
    }

    @Override
    public long id() {
        return record.id();
    }

    @Override
    public long fromUser() {
        return record.senderUser();
    }

    @Override
    public int fromDevice() {
        return record.senderDevice();
    }

    @Override
    public EnvelopeType type() {
        return message.type();
    }

    @Override
    public long ts() {
        return record.ts();
    }

    @Override
    public DirectBuffer body() {
        return body;
    }

    @Override
    public int bodyOffset() {
        return 0;
    }

    @Override
    public int bodyLength() {
        return body.capacity();
    }

    @Override
    public DirectBuffer mediaId() {
        return mediaId;
    }

    @Override
    public int mediaIdOffset() {
        return 0;
    }

    @Override
    public int mediaIdLength() {
        return record.mediaId() == null ? 0 : record.mediaId().length;
    }

    @Override
    public long mediaSize() {
        return record.mediaSize();
    }
}
