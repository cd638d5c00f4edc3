package io.switchboard.jmh.router;

import io.switchboard.core.owner.MsgView;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;
import org.agrona.collections.LongArrayList;

/**
 * The client side of the cycle, standing in for the two connections: counts acks and delivered receipts, and keeps
 * the seq of every msg so that the benchmark answers it with a {@code recv} outside the router's call (the locked
 * router writes while it holds a stripe lock). Used by one thread only.
 */
final class CycleOutbound implements Outbound {
    final LongArrayList toAcknowledge = new LongArrayList();
    long acks;
    long receipts;

    @Override
    public void ack(long connection, long id, long ts) {
        acks++;
    }

    @Override
    public void msg(long connection, MsgView msg) {
        toAcknowledge.addLong(msg.seq());
    }

    @Override
    public void receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq) {
        if (kind == ReceiptKind.DELIVERED) {
            receipts++;
        }
    }

    @Override
    public void error(
            long connection, ErrorCode code, long id, String message, long missingDevices, long extraDevices) {
        throw new IllegalStateException("the router refused message " + id + ": " + code + " " + message);
    }

    /** Only the welcome of each session comes this way in the one-to-one cycle: not counted. */
    @Override
    public void frame(long connection, Frame frame) {}

    @Override
    public void replaced(long connection) {
        throw new IllegalStateException("connection " + connection + " replaced");
    }

    @Override
    public void revoked(long connection) {
        throw new IllegalStateException("connection " + connection + " revoked");
    }
}
