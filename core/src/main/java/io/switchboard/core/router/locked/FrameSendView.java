package io.switchboard.core.router.locked;

import io.switchboard.core.message.SendView;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import org.agrona.DirectBuffer;

/** A decoded {@code send} frame seen as a {@link SendView}, with the sender the connection authenticated as. */
final class FrameSendView implements SendView {
    private Frame frame;
    private long senderUser;
    private int senderDevice;
    private long senderConnection;

    FrameSendView wrap(Frame frame, long senderUser, int senderDevice, long senderConnection) {
        this.frame = frame;
        this.senderUser = senderUser;
        this.senderDevice = senderDevice;
        this.senderConnection = senderConnection;
        return this;
    }

    @Override
    public long senderUser() {
        return senderUser;
    }

    @Override
    public int senderDevice() {
        return senderDevice;
    }

    @Override
    public long senderConnection() {
        return senderConnection;
    }

    @Override
    public long id() {
        return frame.id();
    }

    @Override
    public long toUser() {
        return frame.toUser();
    }

    @Override
    public int envelopeCount() {
        return frame.envelopeCount();
    }

    @Override
    public int envelopeDevice(int index) {
        return frame.envelopeDevice(index);
    }

    @Override
    public EnvelopeType envelopeType(int index) {
        return frame.envelopeType(index);
    }

    @Override
    public DirectBuffer bodyBuffer(int index) {
        return frame.bodies();
    }

    @Override
    public int bodyOffset(int index) {
        return frame.envelopeBodyOffset(index);
    }

    @Override
    public int bodyLength(int index) {
        return frame.envelopeBodyLength(index);
    }

    @Override
    public int mediaIdLength() {
        return frame.hasMedia() ? frame.mediaId().length() : 0;
    }

    @Override
    public void getMediaId(byte[] dst) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = frame.mediaId().byteAt(i);
        }
    }

    @Override
    public long mediaSize() {
        return frame.hasMedia() ? frame.mediaSize() : 0;
    }
}
