package io.switchboard.core.router.locked;

import io.switchboard.core.owner.MsgView;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;

/**
 * Hands each frame to the calling thread's own writer: locked routing writes from whichever thread holds a stripe's
 * lock, and writers keep per-thread encoding scratch.
 */
record ThreadBoundOutbound(ThreadLocal<Outbound> writers) implements Outbound {
    @Override
    public void ack(long connection, long id, long ts) {
        writers.get().ack(connection, id, ts);
    }

    @Override
    public void msg(long connection, MsgView msg) {
        writers.get().msg(connection, msg);
    }

    @Override
    public void receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq) {
        writers.get().receipt(connection, id, toUser, kind, ts, rseq);
    }

    @Override
    public void error(long connection, ErrorCode code, long id, String message, long missing, long extra) {
        writers.get().error(connection, code, id, message, missing, extra);
    }

    @Override
    public void replaced(long connection) {
        writers.get().replaced(connection);
    }

    @Override
    public void revoked(long connection) {
        writers.get().revoked(connection);
    }

    @Override
    public void frame(long connection, Frame frame) {
        writers.get().frame(connection, frame);
    }
}
