package io.switchboard.core.owner;

import io.switchboard.core.protocol.EnvelopeType;
import org.agrona.DirectBuffer;

/**
 * A ring of queued messages indexed by {@code seq - headSeq}, so lookup and in-order removal are O(1). A message
 * acknowledged out of order leaves a hole that is skipped when the head reaches it. The ring starts small (most
 * devices are online and hold a handful) and doubles up to the configured bound on the seq span it holds. It counts
 * the bytes its entries hold ({@link QueuedMessage#bytes()}) against its bound in bytes.
 *
 * <p>Owner thread only.
 */
final class MemoryDeviceQueue implements DeviceQueue {
    private static final int INITIAL_CAPACITY = 4;

    private final int maxSize;
    private final long maxBytes;
    private QueuedMessage[] ring = new QueuedMessage[INITIAL_CAPACITY];
    private long headSeq = 1;
    private long nextSeq = 1;
    private int size;
    private long bytes;

    MemoryDeviceQueue(int maxSize, long maxBytes) {
        this.maxSize = maxSize;
        this.maxBytes = maxBytes;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isFull() {
        return !hasRoom(0);
    }

    @Override
    public boolean hasRoom(int bodyLength) {
        // The span, not the size: an old unacknowledged head with later messages acknowledged still pins the ring.
        return nextSeq - headSeq < maxSize && bytes + QueuedMessage.bytes(bodyLength) <= maxBytes;
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public long headSeq() {
        return headSeq;
    }

    @Override
    public long nextSeq() {
        return nextSeq;
    }

    @Override
    public void restore(long seq, MessageRecord record, EnvelopeType type, DirectBuffer body, int offset, int length) {
        byte[] copy = new byte[length];
        body.getBytes(offset, copy);
        restoreShared(seq, record, type, copy);
    }

    @Override
    public void restoreShared(long seq, MessageRecord record, EnvelopeType type, byte[] body) {
        skipTo(seq);
        appendShared(record, type, body);
    }

    @Override
    public void restoreJournaled(
            long seq, MessageRecord record, EnvelopeType type, int bodyLength, long journalIndex, int envelope) {
        skipTo(seq);
        appendJournaled(record, type, bodyLength, journalIndex, envelope);
    }

    /** Replay: the next message restored has {@code seq}; the seqs skipped to it stay empty. */
    private void skipTo(long seq) {
        if (size == 0) {
            headSeq = seq;
            nextSeq = seq;
        }
        while (nextSeq < seq) {
            if (nextSeq - headSeq == ring.length) {
                grow();
            }
            ring[index(nextSeq++)] = null;
        }
    }

    @Override
    public long append(MessageRecord record, EnvelopeType type, DirectBuffer body, int offset, int length) {
        byte[] copy = new byte[length];
        body.getBytes(offset, copy);
        return appendShared(record, type, copy);
    }

    @Override
    public long appendShared(MessageRecord record, EnvelopeType type, byte[] body) {
        return add(new QueuedMessage(nextSeq, record, type, body));
    }

    @Override
    public long appendJournaled(
            MessageRecord record, EnvelopeType type, int bodyLength, long journalIndex, int envelope) {
        return add(new QueuedMessage(nextSeq, record, type, bodyLength, journalIndex, envelope));
    }

    /** Puts a message made with {@link #nextSeq} as its seq at the tail. */
    private long add(QueuedMessage message) {
        if (nextSeq - headSeq == ring.length) {
            grow();
        }
        long seq = nextSeq++;
        ring[index(seq)] = message;
        size++;
        bytes += message.bytes();
        return seq;
    }

    private void grow() {
        QueuedMessage[] bigger = new QueuedMessage[ring.length * 2];
        for (long seq = headSeq; seq < nextSeq; seq++) {
            bigger[(int) (seq & (bigger.length - 1))] = ring[index(seq)];
        }
        ring = bigger;
    }

    private int index(long seq) {
        return (int) (seq & (ring.length - 1));
    }

    @Override
    public QueuedMessage get(long seq) {
        return seq >= headSeq && seq < nextSeq ? ring[index(seq)] : null;
    }

    @Override
    public QueuedMessage remove(long seq) {
        QueuedMessage message = get(seq);
        if (message == null) {
            return null;
        }
        ring[index(seq)] = null;
        size--;
        bytes -= message.bytes();
        while (headSeq < nextSeq && ring[index(headSeq)] == null) {
            headSeq++;
        }
        return message;
    }
}
