package io.switchboard.jmh.router;

import io.switchboard.core.owner.MsgView;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;
import org.agrona.collections.LongArrayList;

/**
 * The client side of the fan-out, standing in for every member's connection: keeps the connection and seq of every
 * group {@code msg} so that the benchmark answers it with a {@code recv} outside the router's call, and counts the
 * sender's acks and aggregated {@code delivered} receipts. Used by one thread only.
 */
final class FanoutOutbound implements Outbound {
    final LongArrayList connections = new LongArrayList();
    final LongArrayList seqs = new LongArrayList();
    long acks;
    long delivered;
    long results;

    @Override
    public void ack(long connection, long id, long ts) {
        acks++;
    }

    @Override
    public void msg(long connection, MsgView msg) {
        throw new IllegalStateException("a one-to-one msg in a group benchmark");
    }

    @Override
    public void receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq) {
        throw new IllegalStateException("a one-to-one receipt in a group benchmark");
    }

    @Override
    public void error(
            long connection, ErrorCode code, long id, String message, long missingDevices, long extraDevices) {
        throw new IllegalStateException("the router refused " + id + ": " + code + " " + message);
    }

    @Override
    public void replaced(long connection) {
        throw new IllegalStateException("connection " + connection + " replaced");
    }

    @Override
    public void revoked(long connection) {
        throw new IllegalStateException("connection " + connection + " revoked");
    }

    @Override
    public void frame(long connection, Frame frame) {
        if (frame.type() == FrameType.MSG) {
            connections.addLong(connection);
            seqs.addLong(frame.seq());
        } else if (frame.type() == FrameType.RECEIPT && frame.kind() == ReceiptKind.DELIVERED) {
            delivered++;
        } else if (frame.type() == FrameType.RESULT) {
            results++;
        }
    }
}
