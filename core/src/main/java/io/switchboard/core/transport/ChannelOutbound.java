package io.switchboard.core.transport;

import io.netty.buffer.ByteBuf;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.JsonFrameEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Turns the router's frames, as {@link FrameOutbound} fills them, into sb.json.v1 frames on channels: encodes each into
 * scratch memory and copies it into a pooled buffer of the channel's allocator. Not thread-safe: one per thread (the
 * I/O loop's own, or one per I/O thread for locked routing).
 */
final class ChannelOutbound extends FrameOutbound {
    private final ConnectionLookup connections;
    private final boolean flushEach;
    private final FlushBatch batch;
    private final JsonFrameEncoder encoder = new JsonFrameEncoder();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(4096);

    /**
     * @param flushEach flush every frame at once (locked routing); otherwise frames join {@code batch}, which the I/O
     *     loop flushes once per outbox drain
     */
    ChannelOutbound(ConnectionLookup connections, boolean flushEach, FlushBatch batch) {
        this.connections = connections;
        this.flushEach = flushEach;
        this.batch = batch;
    }

    /** Encodes and writes {@code frame} to one connection from its own loop. */
    void write(SessionHandler connection, Frame frame, boolean flush) {
        connection.write(encode(connection, frame), flush);
        if (!flush && batch != null) {
            batch.add(connection);
        }
    }

    private ByteBuf encode(SessionHandler connection, Frame frame) {
        int length = encoder.encode(frame, scratch, 0);
        ByteBuf json = connection.alloc().ioBuffer(length);
        json.writeBytes(scratch.byteArray(), 0, length);
        return json;
    }

    /** A router's frame: batched for the loop's flush, or (locked routing) queued in order and flushed at once. */
    private void write(SessionHandler connection, Frame frame) {
        if (flushEach) {
            connection.writeQueued(encode(connection, frame));
        } else {
            write(connection, frame, false);
        }
    }

    @Override
    protected void deliver(long connection, Frame frame) {
        SessionHandler handler = connections.find(connection);
        if (handler != null) {
            write(handler, frame);
        }
    }

    @Override
    public void replaced(long connection) {
        SessionHandler handler = connections.find(connection);
        if (handler != null) {
            handler.closeWith(ErrorCode.REPLACED, "this device connected again elsewhere", SessionHandler.CLOSE_POLICY);
        }
    }

    @Override
    public void revoked(long connection) {
        SessionHandler handler = connections.find(connection);
        if (handler != null) {
            handler.closeWith(ErrorCode.AUTH, "this device was removed from its account", SessionHandler.CLOSE_POLICY);
        }
    }

    /** Writes a frame that a shard encoded already ({@code length} bytes of text at {@code offset}), batched. */
    void encoded(long connection, DirectBuffer text, int offset, int length) {
        SessionHandler handler = connections.find(connection);
        if (handler == null) {
            return;
        }
        scratch.checkLimit(length);
        text.getBytes(offset, scratch.byteArray(), 0, length);
        ByteBuf json = handler.alloc().ioBuffer(length);
        json.writeBytes(scratch.byteArray(), 0, length);
        handler.write(json, false);
        if (batch != null) {
            batch.add(handler);
        }
    }

    /** Connections written without a flush, to be flushed once at the end of a batch. */
    interface FlushBatch {
        void add(SessionHandler connection);
    }
}
