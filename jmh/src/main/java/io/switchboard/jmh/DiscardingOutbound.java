package io.switchboard.jmh;

import io.switchboard.core.owner.MsgView;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;

/** Where an owner's frames go when a benchmark does not read them: nowhere. A benchmark overrides what it counts. */
public class DiscardingOutbound implements Outbound {
    @Override
    public void ack(long connection, long id, long ts) {}

    @Override
    public void msg(long connection, MsgView msg) {}

    @Override
    public void receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq) {}

    @Override
    public void error(long connection, ErrorCode code, long id, String message, long missing, long extra) {}

    @Override
    public void replaced(long connection) {}

    @Override
    public void revoked(long connection) {}

    @Override
    public void frame(long connection, Frame frame) {}
}
