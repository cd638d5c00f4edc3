package io.switchboard.core.router.sharded;

import io.switchboard.core.owner.MsgView;
import io.switchboard.core.protocol.EnvelopeType;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A MSG record of an outbox ring: written from any {@link MsgView} by {@link #write}, and read in place as one by
 * {@link #wrap}, so the I/O loop hands the record itself to its writer.
 *
 * <pre>
 *  connection:i64 seq:i64 id:i64 fromUser:i64 ts:i64 mediaSize:i64
 *  fromDevice:i32 type:i32 mediaIdLength:i32 bodyLength:i32 mediaId:bytes body:bytes
 * </pre>
 */
final class MsgRecord implements MsgView {
    static final int SEQ = 8;
    static final int ID = 16;
    static final int FROM_USER = 24;
    static final int TS = 32;
    static final int MEDIA_SIZE = 40;
    static final int FROM_DEVICE = 48;
    static final int TYPE = 52;
    static final int MEDIA_ID_LENGTH = 56;
    static final int BODY_LENGTH = 60;
    static final int MEDIA_ID = 64;

    private DirectBuffer buffer;
    private int index;

    /** The record's length for {@code msg}. */
    static int length(MsgView msg) {
        return MEDIA_ID + msg.mediaIdLength() + msg.bodyLength();
    }

    /** Writes {@code msg} at {@code index}, after the connection the caller wrote. */
    static void write(MutableDirectBuffer buffer, int index, MsgView msg) {
        int mediaIdLength = msg.mediaIdLength();
        buffer.putLong(index + SEQ, msg.seq());
        buffer.putLong(index + ID, msg.id());
        buffer.putLong(index + FROM_USER, msg.fromUser());
        buffer.putLong(index + TS, msg.ts());
        buffer.putLong(index + MEDIA_SIZE, msg.mediaSize());
        buffer.putInt(index + FROM_DEVICE, msg.fromDevice());
        buffer.putInt(index + TYPE, msg.type().code());
        buffer.putInt(index + MEDIA_ID_LENGTH, mediaIdLength);
        buffer.putInt(index + BODY_LENGTH, msg.bodyLength());
        if (mediaIdLength > 0) {
            buffer.putBytes(index + MEDIA_ID, msg.mediaId(), msg.mediaIdOffset(), mediaIdLength);
        }
        buffer.putBytes(index + MEDIA_ID + mediaIdLength, msg.body(), msg.bodyOffset(), msg.bodyLength());
    }

    MsgRecord wrap(DirectBuffer buffer, int index) {
        this.buffer = buffer;
        this.index = index;
        return this;
    }

    @Override
    public long seq() {
        return buffer.getLong(index + SEQ);
    }

    @Override
    public long id() {
        return buffer.getLong(index + ID);
    }

    @Override
    public long fromUser() {
        return buffer.getLong(index + FROM_USER);
    }

    @Override
    public int fromDevice() {
        return buffer.getInt(index + FROM_DEVICE);
    }

    @Override
    public EnvelopeType type() {
        return EnvelopeType.fromCode(buffer.getInt(index + TYPE));
    }

    @Override
    public long ts() {
        return buffer.getLong(index + TS);
    }

    @Override
    public DirectBuffer body() {
        return buffer;
    }

    @Override
    public int bodyOffset() {
        return index + MEDIA_ID + mediaIdLength();
    }

    @Override
    public int bodyLength() {
        return buffer.getInt(index + BODY_LENGTH);
    }

    @Override
    public DirectBuffer mediaId() {
        return buffer;
    }

    @Override
    public int mediaIdOffset() {
        return index + MEDIA_ID;
    }

    @Override
    public int mediaIdLength() {
        return buffer.getInt(index + MEDIA_ID_LENGTH);
    }

    @Override
    public long mediaSize() {
        return buffer.getLong(index + MEDIA_SIZE);
    }
}
