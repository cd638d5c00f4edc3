package io.switchboard.core.message;

import io.switchboard.core.protocol.EnvelopeType;
import org.agrona.DirectBuffer;

/**
 * A one-to-one {@code send} as the session logic reads it, whichever way it arrived: a flyweight over a ring record
 * (sharded routing) or a view of a decoded frame (locked routing). Valid only during the call it is passed to.
 */
public interface SendView {
    long senderUser();

    int senderDevice();

    /** The connection that sent it, for the ack. */
    long senderConnection();

    long id();

    long toUser();

    int envelopeCount();

    int envelopeDevice(int index);

    EnvelopeType envelopeType(int index);

    DirectBuffer bodyBuffer(int index);

    int bodyOffset(int index);

    int bodyLength(int index);

    /** Length of the media id in bytes, 0 when the message names no media. */
    int mediaIdLength();

    void getMediaId(byte[] dst);

    long mediaSize();
}
