package io.switchboard.jmh;

import io.switchboard.core.message.SendView;
import io.switchboard.core.protocol.EnvelopeType;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** A one-device send with a fixed body, whose sender, recipient and id the benchmark changes per message. */
public final class FixedSend implements SendView {
    private final UnsafeBuffer body;
    public long senderUser = 1;
    /** Where the owner writes the sender's ack. */
    public long senderConnection;

    public long toUser = 2;
    public long id;

    public FixedSend(int bodyBytes) {
        byte[] bytes = new byte[bodyBytes];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        body = new UnsafeBuffer(bytes);
    }

    @Override
    public long senderUser() {
        return senderUser;
    }

    @Override
    public int senderDevice() {
        return 1;
    }

    @Override
    public long senderConnection() {
        return senderConnection;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public long toUser() {
        return toUser;
    }

    @Override
    public int envelopeCount() {
        return 1;
    }

    @Override
    public int envelopeDevice(int index) {
        return 1;
    }

    @Override
    public EnvelopeType envelopeType(int index) {
        return EnvelopeType.MSG;
    }

    @Override
    public DirectBuffer bodyBuffer(int index) {
        return body;
    }

    @Override
    public int bodyOffset(int index) {
        return 0;
    }

    @Override
    public int bodyLength(int index) {
        return body.capacity();
    }

    @Override
    public int mediaIdLength() {
        return 0;
    }

    @Override
    public void getMediaId(byte[] dst) {}

    @Override
    public long mediaSize() {
        return 0;
    }
}
