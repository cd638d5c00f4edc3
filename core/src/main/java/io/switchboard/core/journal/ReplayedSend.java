package io.switchboard.core.journal;

import io.switchboard.core.message.SendView;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ProtocolLimits;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/** A journaled send read back during replay, as a {@link SendView}. Reused for every record. */
final class ReplayedSend implements SendView {
    long senderUser;
    int senderDevice;
    long id;
    long toUser;
    long mediaSize;
    int mediaIdLength;
    final byte[] mediaId = new byte[ProtocolLimits.MAX_MEDIA_ID_LENGTH];
    int envelopeCount;
    final int[] devices = new int[ProtocolLimits.MAX_ENVELOPES];
    final EnvelopeType[] types = new EnvelopeType[ProtocolLimits.MAX_ENVELOPES];
    final int[] offsets = new int[ProtocolLimits.MAX_ENVELOPES];
    final int[] lengths = new int[ProtocolLimits.MAX_ENVELOPES];
    final ExpandableArrayBuffer bodies = new ExpandableArrayBuffer(4096);

    @Override
    public long senderUser() {
        return senderUser;
    }

    @Override
    public int senderDevice() {
        return senderDevice;
    }

    /** Replayed messages have no connection: nothing is sent while replaying. */
    @Override
    public long senderConnection() {
        return 0;
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
        return envelopeCount;
    }

    @Override
    public int envelopeDevice(int index) {
        return devices[index];
    }

    @Override
    public EnvelopeType envelopeType(int index) {
        return types[index];
    }

    @Override
    public DirectBuffer bodyBuffer(int index) {
        return bodies;
    }

    @Override
    public int bodyOffset(int index) {
        return offsets[index];
    }

    @Override
    public int bodyLength(int index) {
        return lengths[index];
    }

    @Override
    public int mediaIdLength() {
        return mediaIdLength;
    }

    @Override
    public void getMediaId(byte[] dst) {
        System.arraycopy(mediaId, 0, dst, 0, dst.length);
    }

    @Override
    public long mediaSize() {
        return mediaSize;
    }
}
