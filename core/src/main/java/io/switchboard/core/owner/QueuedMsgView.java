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
    private EnvelopeType type;
    private MessageRecord record;
    private long seq;

    /** Over the entry at {@code seq} of {@code queue}, whose body is on the heap. */
    QueuedMsgView wrap(long seq, DeviceQueue queue) {
        return wrap(seq, queue, queue.body(seq), queue.bodyLength(seq));
    }

    /**
     * Over the entry at {@code seq} of {@code queue}, whose body was read back (from the journal) into the first {@code
     * length} bytes of {@code body}.
     */
    QueuedMsgView wrap(long seq, DeviceQueue queue, byte[] body, int length) {
        this.body.wrap(body, 0, length);
        return entry(seq, queue);
    }

    /** Over the entry at {@code seq} of {@code queue}, whose body is still where its send holds it. */
    QueuedMsgView wrap(long seq, DeviceQueue queue, DirectBuffer body, int offset, int length) {
        this.body.wrap(body, offset, length);
        return entry(seq, queue);
    }

    private QueuedMsgView entry(long seq, DeviceQueue queue) {
        this.seq = seq;
        this.type = queue.type(seq);
        this.record = queue.record(seq);
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
        return type;
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
