package io.switchboard.core.transport;

import io.switchboard.core.owner.MsgView;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;

/**
 * An {@link Outbound} that fills one reusable {@link Frame} for each one-to-one call (ack, message, receipt, error)
 * and hands it on with {@link #deliver}, as any frame the router builds itself ({@link #frame}): what a connection is
 * sent, before any encoding. Not thread-safe: the frame is the caller's thread's.
 */
public abstract class FrameOutbound implements Outbound {
    private final Frame frame = new Frame();

    /** Sends {@code frame}, valid only during the call, to {@code connection}; a connection that is gone drops it. */
    protected abstract void deliver(long connection, Frame frame);

    @Override
    public void ack(long connection, long id, long ts) {
        deliver(connection, frame.reset(FrameType.ACK).id(id).ts(ts));
    }

    @Override
    public void msg(long connection, MsgView msg) {
        frame.reset(FrameType.MSG)
                .seq(msg.seq())
                .id(msg.id())
                .from(msg.fromUser(), msg.fromDevice())
                .ts(msg.ts());
        frame.addEnvelope(0, msg.type(), msg.body(), msg.bodyOffset(), msg.bodyLength());
        if (msg.mediaIdLength() > 0) {
            frame.media(msg.mediaId(), msg.mediaIdOffset(), msg.mediaIdLength(), msg.mediaSize());
        }
        deliver(connection, frame);
    }

    @Override
    public void receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq) {
        deliver(
                connection,
                frame.reset(FrameType.RECEIPT)
                        .id(id)
                        .toUser(toUser)
                        .kind(kind)
                        .ts(ts)
                        .rseq(rseq));
    }

    @Override
    public void error(long connection, ErrorCode code, long id, String message, long missing, long extra) {
        deliver(connection, error(frame, code, id, message, missing, extra));
    }

    @Override
    public void frame(long connection, Frame frame) {
        deliver(connection, frame);
    }

    /** Fills {@code frame} as the {@code error} frame these arguments describe. */
    public static Frame error(Frame frame, ErrorCode code, long id, String message, long missing, long extra) {
        frame.reset(FrameType.ERROR).code(code);
        if (id != 0) {
            frame.id(id);
        }
        if (message != null) {
            frame.message(message);
        }
        for (int device = 0; device < 64; device++) {
            if ((missing & (1L << device)) != 0) {
                frame.addMissing(device);
            }
            if ((extra & (1L << device)) != 0) {
                frame.addExtra(device);
            }
        }
        return frame;
    }
}
