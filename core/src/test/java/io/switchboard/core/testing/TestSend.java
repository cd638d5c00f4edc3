package io.switchboard.core.testing;

import io.switchboard.core.message.SendView;
import io.switchboard.core.protocol.EnvelopeType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** A {@link SendView} over plain arrays. Each body sits at a non-zero offset of its buffer to catch offset bugs. */
public final class TestSend implements SendView {
    private static final int PADDING = 3;

    private record Envelope(int device, EnvelopeType type, UnsafeBuffer buffer, int length) {}

    private final long senderUser;
    private final int senderDevice;
    private final long senderConnection;
    private final long id;
    private final long toUser;
    private final List<Envelope> envelopes = new ArrayList<>();
    private byte[] mediaId = new byte[0];
    private long mediaSize;

    private TestSend(long senderUser, int senderDevice, long senderConnection, long id, long toUser) {
        this.senderUser = senderUser;
        this.senderDevice = senderDevice;
        this.senderConnection = senderConnection;
        this.id = id;
        this.toUser = toUser;
    }

    /** A send from {@code senderUser}'s device on {@code connection} with message {@code id} to {@code toUser}. */
    public static TestSend from(long senderUser, int senderDevice, long connection, long id, long toUser) {
        return new TestSend(senderUser, senderDevice, connection, id, toUser);
    }

    public TestSend envelope(int device, EnvelopeType type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] padded = new byte[bytes.length + 2 * PADDING];
        System.arraycopy(bytes, 0, padded, PADDING, bytes.length);
        envelopes.add(new Envelope(device, type, new UnsafeBuffer(padded), bytes.length));
        return this;
    }

    public TestSend envelope(int device, String body) {
        return envelope(device, EnvelopeType.MSG, body);
    }

    public TestSend media(String id, long size) {
        mediaId = id.getBytes(StandardCharsets.US_ASCII);
        mediaSize = size;
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
        return id;
    }

    @Override
    public long toUser() {
        return toUser;
    }

    @Override
    public int envelopeCount() {
        return envelopes.size();
    }

    @Override
    public int envelopeDevice(int index) {
        return envelopes.get(index).device();
    }

    @Override
    public EnvelopeType envelopeType(int index) {
        return envelopes.get(index).type();
    }

    @Override
    public DirectBuffer bodyBuffer(int index) {
        return envelopes.get(index).buffer();
    }

    @Override
    public int bodyOffset(int index) {
        return PADDING;
    }

    @Override
    public int bodyLength(int index) {
        return envelopes.get(index).length();
    }

    @Override
    public int mediaIdLength() {
        return mediaId.length;
    }

    @Override
    public void getMediaId(byte[] dst) {
        System.arraycopy(mediaId, 0, dst, 0, mediaId.length);
    }

    @Override
    public long mediaSize() {
        return mediaSize;
    }
}
