package io.switchboard.core.journal;

import java.util.function.IntConsumer;
import net.openhft.chronicle.bytes.Bytes;
import org.agrona.collections.IntArrayList;

/**
 * Records that settle what the journal stored before (ACKNOWLEDGED, READ, RECEIPTS_DELIVERED, GROUP_RELEASED) and that
 * it could not write when they happened: free space was below the reserve, or the write failed. They wait here, in
 * order, and the journal writes them before any later record once it takes writes again; only then do the cycles they
 * settle lose their holds, so a file is never deleted while a record that still needs it is unwritten. A restart
 * before that replays without them: what they settled comes back (a message delivered again, a receipt sent again),
 * never less than what was acknowledged.
 *
 * <p>Bounded by {@link #MAX_BYTES} of records: past it a record is not kept (the caller counts it) and its cycles stay
 * held, as after a restart.
 *
 * <p>Not thread-safe: its journal's writer only.
 */
final class UnwrittenRecords {
    /** At most this many bytes of records wait: about 50,000 acknowledgements. */
    static final int MAX_BYTES = 1 << 20;

    private final Bytes<byte[]> data = Bytes.allocateElasticOnHeap(256);
    /** Per record, oldest first from {@link #head}: its length, how many cycles it settles, then those cycles. */
    private final IntArrayList entries = new IntArrayList();

    private int head;
    private int size;

    UnwrittenRecords() {
        // Locked routing writes from whichever I/O thread holds the journal's lock.
        data.singleThreadedCheckDisabled(true);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /**
     * Keeps the readable bytes of {@code record}, and the first {@code count} of {@code cycles} (those not {@link
     * Journal#FAILED}) to release once it is written; false, keeping nothing, past the bound.
     */
    boolean add(Bytes<?> record, int[] cycles, int count) {
        int length = (int) record.readRemaining();
        if (data.readRemaining() + length > MAX_BYTES) {
            return false;
        }
        data.write(record, record.readPosition(), length);
        entries.addInt(length);
        int counted = entries.size();
        entries.addInt(0);
        int held = 0;
        for (int i = 0; i < count; i++) {
            if (cycles[i] != Journal.FAILED) {
                entries.addInt(cycles[i]);
                held++;
            }
        }
        entries.setInt(counted, held);
        size++;
        return true;
    }

    /** The oldest record's bytes: {@link #firstLength()} of them from {@code data().readPosition()}. */
    Bytes<?> data() {
        return data;
    }

    int firstLength() {
        return entries.getInt(head);
    }

    /** The oldest record was written: its cycles go to {@code release}, and the next one becomes the oldest. */
    void written(IntConsumer release) {
        int length = entries.getInt(head);
        int cycles = entries.getInt(head + 1);
        for (int i = 0; i < cycles; i++) {
            release.accept(entries.getInt(head + 2 + i));
        }
        data.readSkip(length);
        head += 2 + cycles;
        if (--size == 0) {
            data.clear();
            entries.clear();
            head = 0;
        } else if (data.readPosition() > MAX_BYTES / 2) {
            compact();
        }
    }

    /** Moves what still waits to the start, so that writes that keep failing halfway do not grow the buffers. */
    private void compact() {
        data.compact();
        int left = entries.size() - head;
        for (int i = 0; i < left; i++) {
            entries.setInt(i, entries.getInt(head + i));
        }
        for (int i = entries.size() - 1; i >= left; i--) {
            entries.removeAt(i);
        }
        head = 0;
    }
}
