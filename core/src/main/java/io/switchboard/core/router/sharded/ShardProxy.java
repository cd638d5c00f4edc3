package io.switchboard.core.router.sharded;

import io.switchboard.core.protocol.Frame;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Writes I/O-loop commands into a shard's inbox, claiming space and encoding in place (no copy, no allocation).
 * Thread-safe, as the inbox is many-to-one; each method returns false when the inbox is full.
 *
 * <p>Fixed records: OPEN, OPEN_WITH_RECEIPT_ACKS and CLOSE {@code user:i64 connection:i64 device:i32}; RECV
 * {@code user:i64 seq:i64 device:i32}; RECEIPT_ACK {@code user:i64 rseq:i64 device:i32}; UNSUBSCRIBE {@code user:i64 connection:i64 device:i32}, device unused; READ {@code user:i64
 * senderUser:i64 senderDevice:i32 count:i32 ids:i64[count]}; CONTROL {@code user:i64 connection:i64 device:i32 pad:i32
 * decodedNs:i64 text}, the frame's sb.json.v1 text, which the shard decodes again (group, presence and typing frames
 * are few and varied, so a copy of their text is simpler than a layout per type); SEND is {@link SendCommand}.
 */
final class ShardProxy {
    static final int USER = 0;
    static final int SECOND = 8;
    static final int DEVICE = 16;
    static final int SESSION_LENGTH = 20;
    static final int READ_COUNT = 20;
    static final int READ_IDS = 24;
    static final int CONTROL_DECODED_NS = 24;
    static final int CONTROL_TEXT = 32;

    private final RingBuffer inbox;

    ShardProxy(RingBuffer inbox) {
        this.inbox = inbox;
    }

    boolean session(int type, long user, int device, long second) {
        int index = inbox.tryClaim(type, SESSION_LENGTH);
        if (index <= 0) {
            return false;
        }
        MutableDirectBuffer buffer = inbox.buffer();
        buffer.putLong(index + USER, user);
        buffer.putLong(index + SECOND, second);
        buffer.putInt(index + DEVICE, device);
        inbox.commit(index);
        return true;
    }

    boolean send(long user, int device, long connection, Frame send, long decodedNs) {
        int index = inbox.tryClaim(CommandTypes.SEND, SendCommand.length(send));
        if (index <= 0) {
            return false;
        }
        SendCommand.encode(send, user, device, connection, decodedNs, inbox.buffer(), index);
        inbox.commit(index);
        return true;
    }

    boolean control(long user, int device, long connection, DirectBuffer text, long decodedNs) {
        int length = text.capacity();
        int index = inbox.tryClaim(CommandTypes.CONTROL, CONTROL_TEXT + length);
        if (index <= 0) {
            return false;
        }
        MutableDirectBuffer buffer = inbox.buffer();
        buffer.putLong(index + USER, user);
        buffer.putLong(index + SECOND, connection);
        buffer.putInt(index + DEVICE, device);
        buffer.putLong(index + CONTROL_DECODED_NS, decodedNs);
        buffer.putBytes(index + CONTROL_TEXT, text, 0, length);
        inbox.commit(index);
        return true;
    }

    boolean read(long user, Frame read) {
        LongArrayList ids = read.ids();
        int count = ids.size();
        int index = inbox.tryClaim(CommandTypes.READ, READ_IDS + count * Long.BYTES);
        if (index <= 0) {
            return false;
        }
        MutableDirectBuffer buffer = inbox.buffer();
        buffer.putLong(index + USER, user);
        buffer.putLong(index + SECOND, read.fromUser());
        buffer.putInt(index + DEVICE, read.fromDevice());
        buffer.putInt(index + READ_COUNT, count);
        for (int i = 0; i < count; i++) {
            buffer.putLong(index + READ_IDS + i * Long.BYTES, ids.getLong(i));
        }
        inbox.commit(index);
        return true;
    }
}
