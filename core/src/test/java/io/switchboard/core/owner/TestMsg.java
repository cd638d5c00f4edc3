package io.switchboard.core.owner;

import io.switchboard.core.protocol.EnvelopeType;
import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** A {@link MsgView} with its fields given, for tests that hand a {@code msg} to an {@link Outbound}. */
public record TestMsg(
        long seq,
        long id,
        long fromUser,
        int fromDevice,
        EnvelopeType type,
        DirectBuffer body,
        int bodyOffset,
        int bodyLength,
        DirectBuffer mediaId,
        int mediaIdLength,
        long mediaSize,
        long ts)
        implements MsgView {

    /** {@code body[bodyOffset, bodyOffset + bodyLength)}; {@code mediaId} null for none. */
    public static TestMsg of(
            long seq,
            long id,
            long fromUser,
            int fromDevice,
            EnvelopeType type,
            byte[] body,
            int bodyOffset,
            int bodyLength,
            String mediaId,
            long mediaSize,
            long ts) {
        byte[] media = mediaId == null ? new byte[0] : mediaId.getBytes(StandardCharsets.US_ASCII);
        return new TestMsg(
                seq,
                id,
                fromUser,
                fromDevice,
                type,
                new UnsafeBuffer(body),
                bodyOffset,
                bodyLength,
                new UnsafeBuffer(media),
                media.length,
                mediaSize,
                ts);
    }

    @Override
    public int mediaIdOffset() {
        return 0;
    }
}
