package io.switchboard.core.owner;

import io.switchboard.core.protocol.EnvelopeType;
import org.agrona.DirectBuffer;

/**
 * A ring of queued messages indexed by {@code seq - headSeq}, so lookup and in-order removal are O(1). A message
 * acknowledged out of order leaves a hole that is skipped when the head reaches it. The ring starts empty (most devices
 * are online and hold a handful, many hold none) and doubles up to the configured bound on the seq span it holds. It
 * counts the bytes its entries hold ({@link DeviceQueue#bytes(int)}) against its bound in bytes.
 *
 * <p>An entry is two slots in each of two arrays, not an object: its record and body side by side in {@link #refs},
 * its journal index and packed length, envelope and type in {@link #words}. So queueing a message allocates nothing
 * once the ring has grown, and removing one clears its references at once.
 *
 * <p>Owner thread only.
 */
final class MemoryDeviceQueue implements DeviceQueue {
    private static final int INITIAL_CAPACITY = 4;
    private static final Object[] NO_REFS = {};
    private static final long[] NO_WORDS = {};
    private static final EnvelopeType[] TYPES = EnvelopeType.values();

    /** Offsets of an entry's two refs and two words. */
    private static final int RECORD = 0;

    private static final int BODY = 1;
    private static final int JOURNAL_INDEX = 0;
    /** The body's length in the low 32 bits, the envelope in the next 16, the type's ordinal above. */
    private static final int PACKED = 1;

    private final int maxSize;
    private final long maxBytes;
    /** Slot s: its record at 2s (null: no entry), its body at 2s + 1 (null: only in the journal). */
    private Object[] refs = NO_REFS;

    private long[] words = NO_WORDS;
    /** Slots in the ring, a power of two (0 before the first entry). */
    private int capacity;

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
        return nextSeq - headSeq < maxSize && bytes + DeviceQueue.bytes(bodyLength) <= maxBytes;
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
            if (nextSeq - headSeq == capacity) {
                grow();
            }
            clear(slot(nextSeq++));
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
        return add(record, type, body, body.length, -1, 0);
    }

    @Override
    public long appendJournaled(
            MessageRecord record, EnvelopeType type, int bodyLength, long journalIndex, int envelope) {
        return add(record, type, null, bodyLength, journalIndex, envelope);
    }

    /** Puts an entry at the tail with {@link #nextSeq} as its seq. */
    private long add(
            MessageRecord record, EnvelopeType type, byte[] body, int length, long journalIndex, int envelope) {
        if (nextSeq - headSeq == capacity) {
            grow();
        }
        long seq = nextSeq++;
        int slot = slot(seq);
        refs[2 * slot + RECORD] = record;
        refs[2 * slot + BODY] = body;
        words[2 * slot + JOURNAL_INDEX] = journalIndex;
        words[2 * slot + PACKED] =
                ((long) type.ordinal() << 48) | ((long) (envelope & 0xFFFF) << 32) | (length & 0xFFFF_FFFFL);
        size++;
        bytes += DeviceQueue.bytes(length);
        return seq;
    }

    private void grow() {
        int bigger = capacity == 0 ? INITIAL_CAPACITY : capacity * 2;
        Object[] newRefs = new Object[2 * bigger];
        long[] newWords = new long[2 * bigger];
        for (long seq = headSeq; seq < nextSeq; seq++) {
            int from = slot(seq);
            int to = (int) (seq & (bigger - 1));
            System.arraycopy(refs, 2 * from, newRefs, 2 * to, 2);
            System.arraycopy(words, 2 * from, newWords, 2 * to, 2);
        }
        refs = newRefs;
        words = newWords;
        capacity = bigger;
    }

    private int slot(long seq) {
        return (int) (seq & (capacity - 1));
    }

    private void clear(int slot) {
        refs[2 * slot + RECORD] = null;
        refs[2 * slot + BODY] = null;
    }

    @Override
    public MessageRecord record(long seq) {
        return seq >= headSeq && seq < nextSeq ? (MessageRecord) refs[2 * slot(seq) + RECORD] : null;
    }

    @Override
    public EnvelopeType type(long seq) {
        return TYPES[(int) (words[2 * slot(seq) + PACKED] >>> 48)];
    }

    @Override
    public byte[] body(long seq) {
        return (byte[]) refs[2 * slot(seq) + BODY];
    }

    @Override
    public int bodyLength(long seq) {
        return (int) words[2 * slot(seq) + PACKED];
    }

    @Override
    public long journalIndex(long seq) {
        return words[2 * slot(seq) + JOURNAL_INDEX];
    }

    @Override
    public int envelope(long seq) {
        return (int) (words[2 * slot(seq) + PACKED] >>> 32) & 0xFFFF;
    }

    @Override
    public boolean remove(long seq) {
        if (record(seq) == null) {
            return false;
        }
        bytes -= DeviceQueue.bytes(bodyLength(seq));
        clear(slot(seq));
        size--;
        while (headSeq < nextSeq && refs[2 * slot(headSeq) + RECORD] == null) {
            headSeq++;
        }
        return true;
    }
}
