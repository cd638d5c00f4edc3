package io.switchboard.core.journal;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link ChronicleJournal} puts a record in its queue so that a disk that refuses it changes nothing: every record
 * is written whole or not at all, none is written while free space is below the reserve ({@link DiskSpaceGuard}) or
 * into a page whose disk blocks could not be allocated ahead of it ({@link BlockReservation}), and a failed write,
 * even one that faulted in a memory-mapped page, comes back as a refusal at the write, never as an {@link Error} later
 * on the owner's thread. Records that settle stored ones wait in {@link UnwrittenRecords} until
 * they can be written. Refusals are counted by kind of record in the owner's counters.
 *
 * <p>Not thread-safe, as its journal; but it publishes the file it writes and its position in it for {@link
 * JournalPretoucher}, whose thread reads them and reserves blocks ahead of them ({@link #reserveAhead}, under the
 * lock of {@link BlockReservation}).
 */
final class RecordAppender {
    private static final Logger LOG = LoggerFactory.getLogger(RecordAppender.class);

    /** Bytes of records a batch holds at most, unless it holds one longer record alone: see {@link #beginBatched}. */
    static final int BATCH_BYTES = 16 * 1024;

    private final Path directory;
    private final SingleChronicleQueue queue;
    private ExcerptAppender appender;
    /** The disk blocks ahead of the writer, allocated before its mapped writes reach them. */
    private final BlockReservation blocks;
    /** The roll cycle of the last record started; before a record of another, the disk is checked for a new file. */
    private int openedCycle = Integer.MIN_VALUE;
    /** The last record's rollback failed (see {@link #abort}): the appender is replaced before the next record. */
    private boolean appenderSuspect;

    private final CycleHolds holds;
    private final IntConsumer release;
    /** A settling record, written here first so that it can wait when the journal refuses it: see {@link #settle}. */
    private final Bytes<byte[]> record = Bytes.allocateElasticOnHeap(64);

    private final int[] oneCycle = new int[1];
    private final UnwrittenRecords unwritten = new UnwrittenRecords();
    private BooleanSupplier storageLow = () -> false;
    private CounterSet<ShardCounter> counters = CounterSet.standalone("journal", ShardCounter.class);
    private boolean failing;
    /** Written before any record begins; see {@link #holdBack}. */
    private HeldRecord held = NOTHING_HELD;
    /** The record being written, between {@link #begin()} and {@link #commit}, or the batch open. */
    private DocumentContext document;
    /** Whether {@link #document} holds batched records, and stays open after each ({@link #beginBatched}). */
    private boolean batchOpen;
    /** Where the open batch's first record begins, and where its last one begins. */
    private long batchStart;

    private long batchedRecordStart;
    /** The open batch's index in the queue. */
    private long batchIndex;

    /** The cycle file the writer last wrote to; null before its first record. */
    private volatile File writingFile;
    /**
     * The writer's position in {@link #writingFile} after its last record, in bytes from the file's start; -1 before
     * its first. Set lazily (a plain store on x86, so the ack path waits for nothing): a pretoucher that sees it late
     * reads from a few records back, which costs it a few pages already read.
     */
    private final AtomicLong writtenPosition = new AtomicLong(-1);

    RecordAppender(Path directory, SingleChronicleQueue queue, CycleHolds holds) {
        this.directory = directory;
        this.queue = queue;
        this.appender = newAppender(queue);
        this.blocks = new BlockReservation(queue);
        this.holds = holds;
        this.release = holds::release;
        // Locked routing writes from whichever I/O thread holds the journal's lock.
        record.singleThreadedCheckDisabled(true);
    }

    private static ExcerptAppender newAppender(SingleChronicleQueue queue) {
        ExcerptAppender appender = queue.createAppender();
        // Locked routing appends from whichever I/O thread holds the journal's lock.
        appender.singleThreadedCheckDisabled(true);
        return appender;
    }

    void refuseWhen(BooleanSupplier low) {
        this.storageLow = low;
    }

    void countIn(CounterSet<ShardCounter> counters) {
        this.counters = counters;
    }

    /**
     * A record that its writer holds back to add more to ({@link AcknowledgedBatch}): whatever it holds is written
     * before the next record begins, so that records stay in the order their writer made them.
     */
    void holdBack(HeldRecord record) {
        this.held = record;
    }

    /**
     * Starts a record, after every unwritten one; null when free space is below the reserve, or an unwritten record or
     * the start failed (logged). Every record starts here, so that the server never writes into the reserve.
     */
    Bytes<?> begin() {
        if (held.held()) {
            held.write();
        }
        if (storageLow.getAsBoolean()) {
            if (!failing) {
                failed(new IOException("free space below journal.reserveBytes"));
            }
            return null;
        }
        if (!unwritten.isEmpty() && !writeUnwritten()) {
            return null;
        }
        return open();
    }

    private Bytes<?> open() {
        complete();
        try {
            if (appenderSuspect) {
                appender.close();
                appender = newAppender(queue);
                appenderSuspect = false;
            }
            int cycle = queue.cycle();
            if (cycle != openedCycle) {
                // Chronicle opens the cycle's file in writingDocument(), or creates it, writing its first pages.
                blocks.roomForNewFile();
            }
            document = appender.writingDocument();
            openedCycle = cycle;
        } catch (IOException | RuntimeException | Error e) {
            failed(e);
            return null;
        }
        Bytes<?> bytes = document.wire().bytes();
        try {
            blocks.reserve(appender.currentFile(), bytes.writePosition());
        } catch (IOException e) {
            // The disk has no room for the blocks the record may write to: it is refused before it touches them.
            abort(e);
            return null;
        }
        return bytes;
    }

    /** The record started could not be written whole: nothing of it stays in the file. */
    void abort(Throwable e) {
        try {
            document.rollbackOnClose();
            document.close();
            // The rollback writes the record's header again, in a page that may be the one that faulted.
            MappedFaults.surface();
        } catch (RuntimeException | Error again) {
            // Chronicle's appender, stopped halfway through its rollback, can hand out a document already closed,
            // whose close then writes nothing: a new appender finds the end of the queue again.
            appenderSuspect = true;
            e.addSuppressed(again);
        }
        failed(e);
    }

    /**
     * Ends the record started: written whole, or (false) rolled back. A write into a page of a memory-mapped file that
     * the filesystem cannot back (a full disk) faults with SIGBUS, which HotSpot reports as an {@link InternalError}
     * ("a fault occurred in ... unsafe memory access"), in compiled code only at the thread's next call into the VM:
     * anywhere after the write, outside every catch of the journal, where it would end the owner's thread (seen on JDK
     * 17, and on JDK 25 too, though sooner). {@link MappedFaults#surface()} makes that call here, before the record's header
     * is completed, so that a record a fault cut short is rolled back rather than left for a replay to read.
     */
    boolean commit(Bytes<?> bytes) {
        try {
            published(bytes);
            MappedFaults.surface();
        } catch (RuntimeException | Error e) {
            abort(e);
            return false;
        }
        try {
            document.close();
            // Completing the record may write an index entry, in another page.
            MappedFaults.surface();
        } catch (RuntimeException | Error e) {
            // The record is whole (its header is in the page it started in, written before), so it stands.
            failed(e);
            return true;
        }
        recovered();
        return true;
    }

    /**
     * Starts a record of {@code length} bytes in the batch open, or opens one: records written between two {@link
     * #complete()}s share one document, and so Chronicle's lock, its look-up of the last index and its header, which
     * took 146 of the shards' 1,179 samples at 550,000 msgs/s on direct when each record had a document of its own,
     * and 15 in batches (results/reference/20261208-accepted-batches). Nothing in a batch is readable, or survives a
     * {@code kill -9}, until it is completed. A batch holds at most {@link #BATCH_BYTES}, or one longer record alone,
     * so that a document is never longer than the longest record Chronicle takes ({@code journal.blockBytes}' rule).
     * Null as for {@link #begin()}.
     */
    Bytes<?> beginBatched(int length) {
        if (batchOpen) {
            Bytes<?> bytes = document.wire().bytes();
            long start = bytes.writePosition();
            if (start - batchStart + length <= BATCH_BYTES && unwritten.isEmpty() && !storageLow.getAsBoolean()) {
                try {
                    blocks.reserve(appender.currentFile(), start);
                    batchedRecordStart = start;
                    return bytes;
                } catch (IOException e) {
                    // begin() below refuses the record with the batch before it completed, or finds room after all.
                    LOG.debug("journal {}: no blocks for a batched record", directory, e);
                }
            }
            complete();
        }
        Bytes<?> bytes = begin();
        if (bytes != null) {
            batchOpen = true;
            batchStart = bytes.writePosition();
            batchedRecordStart = batchStart;
            batchIndex = document.index();
        }
        return bytes;
    }

    /** Ends a batched record: whole in its batch, or (false) taken out of it, the records before it kept. */
    boolean commitBatched(Bytes<?> bytes) {
        try {
            published(bytes);
            // Each record's faults surface at its end, so that one cut short is taken out alone: see commit().
            MappedFaults.surface();
        } catch (RuntimeException | Error e) {
            abortBatched(e);
            return false;
        }
        recovered();
        return true;
    }

    /** The batched record started could not be written whole: its batch ends with the record before it, if any. */
    void abortBatched(Throwable e) {
        if (batchedRecordStart == batchStart) {
            batchOpen = false;
            abort(e);
            return;
        }
        document.wire().bytes().writePosition(batchedRecordStart);
        complete();
        failed(e);
    }

    /** The index of the batch open, which every record in it shares. */
    long batchIndex() {
        return batchIndex;
    }

    /** Completes the batch open, if any: from here its records are readable and survive a {@code kill -9}. */
    void complete() {
        if (!batchOpen) {
            return;
        }
        batchOpen = false;
        try {
            document.close();
            // Completing the document may write an index entry, in another page.
            MappedFaults.surface();
        } catch (RuntimeException | Error e) {
            // Its records are whole (its header is in the page it started in, written before), so they stand.
            failed(e);
        }
    }

    /** Writes one record whole through {@code writer}; false (logged) when it could not. */
    boolean write(RecordWriter writer) {
        Bytes<?> bytes = begin();
        if (bytes == null) {
            return false;
        }
        try {
            writer.write(bytes);
        } catch (RuntimeException | Error e) {
            abort(e);
            return false;
        }
        return commit(bytes);
    }

    /** Counts a record of {@code kind} not written; returns {@link Journal#FAILED}. */
    int refused(ShardCounter kind) {
        counters.increment(kind);
        return Journal.FAILED;
    }

    /** The scratch to write a settling record into, then given to {@link #settle}. */
    Bytes<?> settling() {
        record.clear();
        return record;
    }

    /**
     * Writes the settling record, which ends the holds on the first {@code count} of {@code cycles} once written; when
     * it cannot be written now it waits, holds and all, or past that bound is dropped (its holds stay, as a restart
     * would find them).
     */
    void settle(ShardCounter kind, int[] cycles, int count) {
        settle(kind, record, cycles, count);
    }

    /** As {@link #settle(ShardCounter, int[], int)}, for a settling record written in {@code from}. */
    void settle(ShardCounter kind, Bytes<?> from, int[] cycles, int count) {
        Bytes<?> bytes = begin();
        if (bytes != null && copy(bytes, from, from.readPosition(), (int) from.readRemaining())) {
            for (int i = 0; i < count; i++) {
                if (cycles[i] != Journal.FAILED) {
                    holds.release(cycles[i]);
                }
            }
            return;
        }
        counters.increment(kind);
        if (unwritten.add(from, cycles, count)) {
            counters.increment(ShardCounter.JOURNAL_UNWRITTEN);
        } else {
            counters.increment(ShardCounter.JOURNAL_UNWRITTEN_DROPPED);
        }
    }

    void settle(ShardCounter kind, int cycle) {
        oneCycle[0] = cycle;
        settle(kind, oneCycle, 1);
    }

    private boolean copy(Bytes<?> bytes, Bytes<?> from, long offset, int length) {
        try {
            bytes.write(from, offset, length);
        } catch (RuntimeException | Error e) {
            abort(e);
            return false;
        }
        return commit(bytes);
    }

    /** Now and then: writes the records waiting, when free space allows, so that they need not wait for the next. */
    void writeWaiting() {
        if (!unwritten.isEmpty() && !storageLow.getAsBoolean()) {
            writeUnwritten();
        }
    }

    /** Writes the unwritten records, oldest first, ending their holds; false (the rest waits) when one fails. */
    private boolean writeUnwritten() {
        while (!unwritten.isEmpty()) {
            Bytes<?> bytes = open();
            Bytes<?> data = unwritten.data();
            if (bytes == null || !copy(bytes, data, data.readPosition(), unwritten.firstLength())) {
                return false;
            }
            unwritten.written(release);
            counters.decrement(ShardCounter.JOURNAL_UNWRITTEN);
        }
        return true;
    }

    /**
     * Tells the pretoucher where the writer is: the file first, then the position, so that the file it reads after a
     * position is that position's file or a later one (it then reads a few pages of the later file for nothing).
     * Chronicle's bytes of a cycle file are positioned from the file's start.
     */
    private void published(Bytes<?> bytes) {
        File file = appender.currentFile();
        if (file != writingFile) {
            writingFile = file;
        }
        writtenPosition.lazySet(bytes.writePosition());
    }

    /** The index of the last record written. */
    long lastIndexAppended() {
        return appender.lastIndexAppended();
    }

    void close() {
        complete();
        appender.close();
        try {
            blocks.close();
        } catch (IOException e) {
            LOG.debug("journal {}: closing the block reservation", directory, e);
        }
    }

    File writingFile() {
        return writingFile;
    }

    /** On the pretoucher's thread: one step of reservation ahead of the writer; see {@link BlockReservation}. */
    boolean reserveAhead() throws IOException {
        return blocks.reserveAhead(writtenPosition.get());
    }

    long writtenPosition() {
        return writtenPosition.get();
    }

    private void failed(Throwable e) {
        if (!failing) {
            failing = true;
            LOG.error("journal {}: cannot write; sends are refused with 'unavailable' until it can", directory, e);
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            LOG.warn("journal {}: writing again", directory);
        }
    }

    /** A record held back to add more to; see {@link #holdBack}. */
    interface HeldRecord {
        /** Whether anything is held. */
        boolean held();

        /** Writes what is held, as a settling record, and holds nothing after. */
        void write();
    }

    private static final HeldRecord NOTHING_HELD = new HeldRecord() {
        @Override
        public boolean held() {
            return false;
        }

        @Override
        public void write() {}
    };

    /** Writes one record's fields. */
    @FunctionalInterface
    interface RecordWriter {
        void write(Bytes<?> bytes);
    }
}
