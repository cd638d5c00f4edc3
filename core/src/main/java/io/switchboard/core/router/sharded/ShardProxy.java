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
 * <p>The records' layouts: {@link InboxDescriptor}.
 */
final class ShardProxy {
    private final RingBuffer inbox;

    ShardProxy(RingBuffer inbox) {
        this.inbox = inbox;
    }

    /**
     * A fixed record: {@code value} is the connection (OPEN, CLOSE, UNSUBSCRIBE), the seq (RECV) or the rseq
     * (RECEIPT_ACK), as {@link InboxDescriptor} names it; REMOVE_DEVICE has none.
     */
    boolean fixed(int type, long user, int device, long value) {
        int index = inbox.tryClaim(type, InboxDescriptor.FIXED_LENGTH);
        if (index <= 0) {
            return false;
        }
        MutableDirectBuffer buffer = inbox.buffer();
        buffer.putLong(index + InboxDescriptor.USER, user);
        buffer.putLong(index + InboxDescriptor.FIXED_VALUE, value);
        buffer.putInt(index + InboxDescriptor.DEVICE, device);
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

    boolean control(long user, int device, long connection, DirectBuffer binary, long decodedNs) {
        int length = binary.capacity();
        int index = inbox.tryClaim(CommandTypes.CONTROL, InboxDescriptor.CONTROL_BINARY + length);
        if (index <= 0) {
            return false;
        }
        MutableDirectBuffer buffer = inbox.buffer();
        buffer.putLong(index + InboxDescriptor.USER, user);
        buffer.putLong(index + InboxDescriptor.CONNECTION, connection);
        buffer.putInt(index + InboxDescriptor.DEVICE, device);
        buffer.putLong(index + InboxDescriptor.CONTROL_DECODED_NS, decodedNs);
        buffer.putBytes(index + InboxDescriptor.CONTROL_BINARY, binary, 0, length);
        inbox.commit(index);
        return true;
    }

    boolean read(long user, Frame read) {
        LongArrayList ids = read.ids();
        int count = ids.size();
        int index = inbox.tryClaim(CommandTypes.READ, InboxDescriptor.READ_IDS + count * Long.BYTES);
        if (index <= 0) {
            return false;
        }
        MutableDirectBuffer buffer = inbox.buffer();
        buffer.putLong(index + InboxDescriptor.USER, user);
        buffer.putLong(index + InboxDescriptor.SENDER_USER, read.fromUser());
        buffer.putInt(index + InboxDescriptor.DEVICE, read.fromDevice());
        buffer.putInt(index + InboxDescriptor.READ_COUNT, count);
        for (int i = 0; i < count; i++) {
            buffer.putLong(index + InboxDescriptor.READ_IDS + i * Long.BYTES, ids.getLong(i));
        }
        inbox.commit(index);
        return true;
    }
}
