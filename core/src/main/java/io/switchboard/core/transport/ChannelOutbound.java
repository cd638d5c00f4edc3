package io.switchboard.core.transport;

import io.netty.buffer.ByteBuf;
import io.switchboard.core.protocol.BinaryFrameDecoder;
import io.switchboard.core.protocol.BinaryFrameEncoder;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.JsonFrameEncoder;
import io.switchboard.core.protocol.WireCodec;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * Turns the router's frames, as {@link FrameOutbound} fills them, into frames on channels, each in its connection's
 * encoding (sb.json.v1 or sb.bin.v1): encodes each into scratch memory and copies it into a pooled buffer of the
 * channel's allocator, behind its WebSocket header ({@link DataFrameHeader}). Not thread-safe: one per thread (the
 * I/O loop's own, or one per I/O thread for locked routing).
 */
final class ChannelOutbound extends FrameOutbound {
    private final ConnectionLookup connections;
    private final boolean flushEach;
    private final FlushBatch batch;
    private final Frame decoded = new Frame();
    private final JsonFrameEncoder jsonEncoder = new JsonFrameEncoder();
    private final BinaryFrameEncoder binaryEncoder = new BinaryFrameEncoder();
    private final BinaryFrameDecoder binaryDecoder = new BinaryFrameDecoder();
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
        int length = connection.codec() == WireCodec.BINARY
                ? binaryEncoder.encode(frame, scratch, 0)
                : jsonEncoder.encode(frame, scratch, 0);
        return copyScratch(connection, length);
    }

    /**
     * The first {@code length} bytes of the scratch buffer as the payload of a WebSocket frame in the connection's
     * encoding, in a pooled buffer of the connection's allocator.
     */
    private ByteBuf copyScratch(SessionHandler connection, int length) {
        ByteBuf framed = connection.alloc().ioBuffer(DataFrameHeader.bytes(length) + length);
        DataFrameHeader.write(framed, connection.codec() == WireCodec.BINARY, length);
        framed.writeBytes(scratch.byteArray(), 0, length);
        return framed;
    }

    /**
     * Encodes and writes {@code frame} to one connection behind every write already queued to it, flushed: see {@link
     * SessionHandler#writeQueued}.
     */
    void writeQueued(SessionHandler connection, Frame frame) {
        connection.writeQueued(encode(connection, frame));
    }

    /** A router's frame: batched for the loop's flush, or (locked routing) queued in order and flushed at once. */
    private void write(SessionHandler connection, Frame frame) {
        if (flushEach) {
            writeQueued(connection, frame);
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

    /**
     * Writes a frame that a shard encoded already as sb.bin.v1 ({@code length} bytes at {@code offset}), batched: as
     * it is to a binary connection, re-encoded as JSON for a JSON one.
     */
    void encoded(long connection, DirectBuffer binary, int offset, int length) {
        SessionHandler handler = connections.find(connection);
        if (handler == null) {
            return;
        }
        if (handler.codec() == WireCodec.BINARY) {
            scratch.checkLimit(length);
            binary.getBytes(offset, scratch, 0, length);
            handler.write(copyScratch(handler, length), false);
        } else {
            binaryDecoder.decode(binary, offset, length, decoded);
            handler.write(encode(handler, decoded), false);
        }
        if (batch != null) {
            batch.add(handler);
        }
    }

    /** Connections written without a flush, to be flushed once at the end of a batch. */
    interface FlushBatch {
        void add(SessionHandler connection);
    }
}
