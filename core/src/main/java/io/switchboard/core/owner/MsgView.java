package io.switchboard.core.owner;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import org.agrona.DirectBuffer;

/**
 * A one-to-one message on its way to one device ({@code msg}), read in place: a flyweight over a queue entry or a
 * ring record, valid only during the call it is passed to. Copy what must outlive the call.
 */
public interface MsgView {
    long seq();

    long id();

    long fromUser();

    int fromDevice();

    EnvelopeType type();

    long ts();

    DirectBuffer body();

    int bodyOffset();

    int bodyLength();

    /** The buffer of the media id; read only when {@link #mediaIdLength()} is not 0. */
    DirectBuffer mediaId();

    int mediaIdOffset();

    /** 0 when the message carries no media. */
    int mediaIdLength();

    long mediaSize();

    /** Sets {@code frame} to the {@code msg} frame of this message (the caller adds a group's id). */
    default Frame toFrame(Frame frame) {
        frame.reset(FrameType.MSG)
                .seq(seq())
                .id(id())
                .from(fromUser(), fromDevice())
                .ts(ts())
                .addEnvelope(0, type(), body(), bodyOffset(), bodyLength());
        if (mediaIdLength() > 0) {
            frame.media(mediaId(), mediaIdOffset(), mediaIdLength(), mediaSize());
        }
        return frame;
    }
}
