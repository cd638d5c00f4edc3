package io.switchboard.core.owner;

import java.util.Arrays;

/**
 * The records of one-to-one messages this owner no longer queues, kept for the next messages, so that accepting one
 * allocates no record once messages are being acknowledged as fast as they come. A record comes back when the entry of
 * the last device it was queued for left (acknowledged, dropped or expired: {@link MessageRecord#acknowledgedBy} said
 * so), at the end of the step that removed it: no queue entry refers to it any more, and whoever else read it (the
 * unread list, the receipt) copied what it needed. It is handed out again only by the next accepted message, so a step
 * may still read the record it gave back. A group message's records are not kept: its stored copy and the replay refer
 * to them.
 *
 * <p>Bounded: at most {@link #MAX_FREE} records wait here; past that a record is left to the collector. Owner thread
 * only.
 */
final class MessageRecords {
    /**
     * About as many as a shard of two holds unacknowledged at 500,000 msgs/s with 250 ms from send to recv, as a run at
     * its capacity sees: 4.5 MiB at 72 bytes a record. With 4,096, records made and dropped at that rate were a fifth of
     * what the shards allocated.
     */
    static final int MAX_FREE = 1 << 16;
    /**
     * The free list's first size: it doubles as records come back, up to {@link #MAX_FREE}, so that an owner holds an
     * array for what it once had unacknowledged, not 256 KiB from the start (locked routing makes 64 owners).
     */
    private static final int INITIAL_FREE = 64;

    private MessageRecord[] free = new MessageRecord[INITIAL_FREE];
    private int size;

    /** A record for a new one-to-one message, pending for {@code devices}: one given back, or a new one. */
    MessageRecord take(
            long senderUser, int senderDevice, long id, long ts, long devices, byte[] mediaId, long mediaSize) {
        if (size == 0) {
            return new MessageRecord(senderUser, senderDevice, id, ts, devices, mediaId, mediaSize);
        }
        MessageRecord record = free[--size];
        free[size] = null;
        return record.reset(senderUser, senderDevice, id, ts, devices, mediaId, mediaSize);
    }

    /** Takes back a one-to-one record whose last entry left; a group message's is left alone. */
    void giveBack(MessageRecord record) {
        if (record.copy() != null || size == MAX_FREE) {
            return;
        }
        if (size == free.length) {
            free = Arrays.copyOf(free, Math.min(2 * size, MAX_FREE));
        }
        free[size++] = record;
    }
}
