package io.switchboard.core.journal;

import static io.switchboard.core.journal.JournalRecords.ACKNOWLEDGED_BATCH;

import io.switchboard.core.metrics.ShardCounter;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Acknowledgements held back to be written as one ACKNOWLEDGED_BATCH record: an owner acknowledges a message or more
 * per message it takes, and each record written costs a document opened and closed in the queue, a read of the clock
 * for its roll cycle and two calls into the VM ({@link MappedFaults}), more than the 21 bytes an acknowledgement needs.
 *
 * <p>Held at most until the next document of any kind begins ({@link RecordAppender#begin}), so the journal keeps the
 * order in which its writer made them (but for ACCEPTED records added to a batch open, which they may follow: see
 * {@link Journal#acknowledgeInBatches}), or until its owner ends its batch of work ({@link Journal#flush}). An
 * acknowledgement held when the process dies is lost with the batch: its message is delivered again after a restart,
 * which at-least-once allows, as it does for one the journal refused. Allocates nothing once made.
 *
 * <p>Not thread-safe, as its journal.
 */
final class AcknowledgedBatch implements RecordAppender.HeldRecord {
    /** Acknowledgements in one record at most: 5 KiB of record. */
    static final int MAX_ENTRIES = 256;

    /** An entry: user, device and seq, as an ACKNOWLEDGED record has them. */
    static final int ENTRY_BYTES = 8 + 4 + 8;

    private static final int COUNT_OFFSET = 1;

    private final RecordAppender records;
    private final Bytes<byte[]> record = Bytes.allocateElasticOnHeap(1 + 4 + MAX_ENTRIES * ENTRY_BYTES);
    /** The journal cycle each acknowledgement settles, in order. */
    private final int[] cycles = new int[MAX_ENTRIES];

    private int count;

    AcknowledgedBatch(RecordAppender records) {
        this.records = records;
        // Written last when the journal closes, on the thread that closes it rather than the owner's.
        record.singleThreadedCheckDisabled(true);
    }

    /** Holds one more acknowledgement, first writing those held when the record is full. */
    void add(long user, int device, long seq, int cycle) {
        if (count == MAX_ENTRIES) {
            write();
        }
        if (count == 0) {
            record.clear();
            record.writeByte(ACKNOWLEDGED_BATCH);
            record.writeInt(0);
        }
        record.writeLong(user);
        record.writeInt(device);
        record.writeLong(seq);
        cycles[count++] = cycle;
    }

    @Override
    public boolean held() {
        return count > 0;
    }

    @Override
    public void write() {
        int entries = count;
        // First: the record written below begins as any record does, by writing what is held.
        count = 0;
        record.writeInt(COUNT_OFFSET, entries);
        records.settle(ShardCounter.JOURNAL_REFUSED_ACK, record, cycles, entries);
    }
}
