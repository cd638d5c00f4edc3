package io.switchboard.core.router.sharded;

import io.switchboard.core.message.SendView;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ProtocolLimits;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over a SEND record in a shard inbox: the sender, the recipient and every envelope's body, copied once
 * from the decoded frame into the ring so the shard reads it in place.
 *
 * <pre>
 *   0                   8                   16                  24
 *   +-------------------+-------------------+-------------------+
 *   | senderUser        | senderConnection  | id                |
 *   +-------------------+-------------------+-------------------+
 *   | toUser            | mediaSize         | senderDevice: i32 | envelopeCount: i32 |
 *   +-------------------+-------------------+---------+---------+
 *   | mediaIdLength: i32| decodedNs         | mediaId bytes ... |
 *   +-------------------+-------------------+-------------------+
 *   then per envelope: | device: i32 | type: i32 | bodyLength: i32 | body bytes ... |
 * </pre>
 */
final class SendCommand implements SendView {
    private static final int SENDER_USER = 0;
    private static final int SENDER_CONNECTION = 8;
    private static final int ID = 16;
    private static final int TO_USER = 24;
    private static final int MEDIA_SIZE = 32;
    private static final int SENDER_DEVICE = 40;
    private static final int ENVELOPE_COUNT = 44;
    private static final int MEDIA_ID_LENGTH = 48;
    private static final int DECODED_NS = 52;
    private static final int MEDIA_ID = 60;
    private static final int ENVELOPE_HEADER = 12;

    private DirectBuffer buffer;
    private int offset;
    private int envelopeCount;
    private final int[] envelopeOffsets = new int[ProtocolLimits.MAX_ENVELOPES];

    static int length(Frame send) {
        int length = MEDIA_ID + (send.hasMedia() ? send.mediaId().length() : 0);
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            length += ENVELOPE_HEADER + send.envelopeBodyLength(i);
        }
        return length;
    }

    static void encode(
            Frame send,
            long senderUser,
            int senderDevice,
            long senderConnection,
            long decodedNs,
            MutableDirectBuffer buffer,
            int offset) {
        buffer.putLong(offset + DECODED_NS, decodedNs);
        buffer.putLong(offset + SENDER_USER, senderUser);
        buffer.putLong(offset + SENDER_CONNECTION, senderConnection);
        buffer.putLong(offset + ID, send.id());
        buffer.putLong(offset + TO_USER, send.toUser());
        buffer.putLong(offset + MEDIA_SIZE, send.hasMedia() ? send.mediaSize() : 0);
        buffer.putInt(offset + SENDER_DEVICE, senderDevice);
        buffer.putInt(offset + ENVELOPE_COUNT, send.envelopeCount());
        int mediaIdLength = send.hasMedia() ? send.mediaId().length() : 0;
        buffer.putInt(offset + MEDIA_ID_LENGTH, mediaIdLength);
        if (mediaIdLength > 0) {
            send.mediaId().getBytes(buffer, offset + MEDIA_ID);
        }
        int position = offset + MEDIA_ID + mediaIdLength;
        DirectBuffer bodies = send.bodies();
        for (int i = 0, n = send.envelopeCount(); i < n; i++) {
            int bodyLength = send.envelopeBodyLength(i);
            buffer.putInt(position, send.envelopeDevice(i));
            buffer.putInt(position + 4, send.envelopeType(i).code());
            buffer.putInt(position + 8, bodyLength);
            buffer.putBytes(position + ENVELOPE_HEADER, bodies, send.envelopeBodyOffset(i), bodyLength);
            position += ENVELOPE_HEADER + bodyLength;
        }
    }

    SendCommand wrap(DirectBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        envelopeCount = buffer.getInt(offset + ENVELOPE_COUNT);
        int position = offset + MEDIA_ID + buffer.getInt(offset + MEDIA_ID_LENGTH);
        for (int i = 0; i < envelopeCount; i++) {
            envelopeOffsets[i] = position;
            position += ENVELOPE_HEADER + buffer.getInt(position + 8);
        }
        return this;
    }

    /** When the frame was decoded on its I/O thread ({@link System#nanoTime()}). */
    long decodedNs() {
        return buffer.getLong(offset + DECODED_NS);
    }

    @Override
    public long senderUser() {
        return buffer.getLong(offset + SENDER_USER);
    }

    @Override
    public int senderDevice() {
        return buffer.getInt(offset + SENDER_DEVICE);
    }

    @Override
    public long senderConnection() {
        return buffer.getLong(offset + SENDER_CONNECTION);
    }

    @Override
    public long id() {
        return buffer.getLong(offset + ID);
    }

    @Override
    public long toUser() {
        return buffer.getLong(offset + TO_USER);
    }

    @Override
    public int envelopeCount() {
        return envelopeCount;
    }

    @Override
    public int envelopeDevice(int index) {
        return buffer.getInt(envelopeOffsets[index]);
    }

    @Override
    public EnvelopeType envelopeType(int index) {
        return EnvelopeType.fromCode(buffer.getInt(envelopeOffsets[index] + 4));
    }

    @Override
    public DirectBuffer bodyBuffer(int index) {
        return buffer;
    }

    @Override
    public int bodyOffset(int index) {
        return envelopeOffsets[index] + ENVELOPE_HEADER;
    }

    @Override
    public int bodyLength(int index) {
        return buffer.getInt(envelopeOffsets[index] + 8);
    }

    @Override
    public int mediaIdLength() {
        return buffer.getInt(offset + MEDIA_ID_LENGTH);
    }

    @Override
    public void getMediaId(byte[] dst) {
        buffer.getBytes(offset + MEDIA_ID, dst, 0, dst.length);
    }

    @Override
    public long mediaSize() {
        return buffer.getLong(offset + MEDIA_SIZE);
    }
}
