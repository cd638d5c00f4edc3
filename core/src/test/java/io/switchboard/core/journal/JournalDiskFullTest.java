package io.switchboard.core.journal;

import static io.switchboard.core.journal.JournalPretoucherTest.allocatedBytes;
import static io.switchboard.core.journal.RecordingReplay.replayed;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.JournalContext;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.testing.TestSend;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Chronicle journal on a disk that has no room: free space below the reserve (a {@link DiskSpaceGuard} with a
 * reserve above the filesystem's free space), or a page of the memory-mapped file that the filesystem cannot back (the
 * file cut short under the mapping, which faults as a write on a full disk does: SIGBUS, an {@link InternalError}).
 * No record goes into the reserve, no error escapes the write, what settles stored records waits and is written in
 * order once the disk takes writes again, and a replay finds every record whole.
 */
class JournalDiskFullTest {
    private static final long ALICE = 11;
    private static final long BOB = 12;
    /** A fixed clock: every record goes into one roll cycle. */
    private static final long NOW_MS = 1_795_000_000_000L;
    /** Enough records for the JIT to compile the write path, where a fault is reported late. */
    private static final int WARM_UP_WRITES = 50_000;

    @TempDir
    Path directory;

    private final SetTimeProvider time = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(NOW_MS));
    private final CounterSet<ShardCounter> counters = CounterSet.standalone("test", ShardCounter.class);
    private ChronicleJournal journal;

    @AfterEach
    void close() {
        if (journal != null) {
            journal.close();
        }
    }

    private ChronicleJournal open() {
        journal = ChronicleJournal.open(directory, RollCycles.FAST_HOURLY, time, JournalContext.BLOCK_BYTES_MIN);
        journal.countIn(counters);
        return journal;
    }

    private int accept(long id) {
        TestSend send = TestSend.from(ALICE, 1, 0, id, BOB).envelope(1, EnvelopeType.MSG, "message " + id);
        return journal.accepted(send, 1_000 + id, new long[] {id});
    }

    @Test
    void shouldWriteNothingBelowTheReserveAndWriteTheSettlingRecordsInOrderOnceSpaceIsBack() {
        open();
        int cycle = accept(1);
        assertThat(accept(2)).isEqualTo(cycle);
        AtomicBoolean full = new AtomicBoolean(true);
        try (DiskSpaceGuard impossible = DiskSpaceGuard.watching(directory, Long.MAX_VALUE);
                DiskSpaceGuard roomy = DiskSpaceGuard.watching(directory, 1)) {
            journal.refuseWhen(() -> full.get() ? impossible.low() : roomy.low());
            long before = journal.writtenPosition();

            journal.acknowledged(BOB, 1, 1, cycle);
            journal.hold(cycle);
            journal.read(BOB, ALICE, 1, 1, cycle);
            journal.receiptsDelivered(ALICE, 1, new int[] {Journal.FAILED}, 1);
            journal.lastSeen(BOB, 5_000);
            assertThat(journal.receiptPending(ALICE, 1, 2, BOB, ReceiptKind.DELIVERED, 6_000))
                    .isEqualTo(Journal.FAILED);
            assertThat(journal.unread(BOB, ALICE, 1, 2, 1_002, false)).isEqualTo(Journal.FAILED);
            assertThat(journal.groupState("family", new long[] {ALICE, BOB}, new long[] {ALICE}, List.of()))
                    .isEqualTo(Journal.FAILED);
            assertThat(accept(3)).as("a new message below the reserve").isEqualTo(Journal.FAILED);

            assertThat(journal.writtenPosition())
                    .as("nothing written into the reserve")
                    .isEqualTo(before);
            assertThat(counters.get(ShardCounter.JOURNAL_REFUSED_ACK)).isEqualTo(1);
            assertThat(counters.get(ShardCounter.JOURNAL_REFUSED_READ)).isEqualTo(1);
            assertThat(counters.get(ShardCounter.JOURNAL_REFUSED_RECEIPT)).isEqualTo(2);
            assertThat(counters.get(ShardCounter.JOURNAL_REFUSED_LAST_SEEN)).isEqualTo(1);
            assertThat(counters.get(ShardCounter.JOURNAL_REFUSED_UNREAD)).isEqualTo(1);
            assertThat(counters.get(ShardCounter.JOURNAL_REFUSED_GROUP)).isEqualTo(1);
            assertThat(counters.get(ShardCounter.JOURNAL_REFUSED_MESSAGE)).isEqualTo(1);
            assertThat(counters.get(ShardCounter.JOURNAL_UNWRITTEN))
                    .as("the ack, the read and the receipts delivered wait")
                    .isEqualTo(3);

            full.set(false);
            journal.deleteExpired();
            assertThat(counters.get(ShardCounter.JOURNAL_UNWRITTEN))
                    .as("written by housekeeping once space is back")
                    .isZero();
            assertThat(accept(3)).isEqualTo(cycle);
        }
        journal.close();
        open();

        assertThat(replayed(journal))
                .containsExactly(
                        accepted(1, cycle),
                        accepted(2, cycle),
                        "acknowledged 12/1 seq 1",
                        "read 12 from 11/1 #1",
                        "receipts delivered 11/1",
                        accepted(3, cycle));
    }

    @Test
    void shouldRefuseAWriteWhoseMappedPageFaultsAtTheWriteAndWriteEverythingOnceThePageIsBacked() throws Exception {
        open();
        int cycle = accept(1);
        int[] noCycles = {};
        for (int i = 0; i < WARM_UP_WRITES; i++) {
            journal.receiptsDelivered(ALICE, 1, noCycles, 0);
        }
        File file = journal.writingFile();
        long length = file.length();
        // Cut the file at the end of the page being written: the next pages are mapped, but nothing backs them.
        long cut = (journal.writtenPosition() / 4096 + 1) * 4096;
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(cut);
        }

        List<Long> acknowledged = new ArrayList<>();
        long garbage = 0;
        for (long seq = 1; counters.get(ShardCounter.JOURNAL_REFUSED_ACK) == 0; seq++) {
            assertThat(seq).as("a write past the cut refused").isLessThan(4096);
            journal.acknowledged(BOB, 1, seq, cycle);
            acknowledged.add(seq);
            // Allocation calls into the VM, where a fault the write left pending would be thrown.
            garbage += Long.toString(seq).length() + new byte[64 + (int) (seq & 255)].length;
        }
        assertThat(garbage).isPositive();
        assertThat(counters.get(ShardCounter.JOURNAL_UNWRITTEN))
                .as("the refused acknowledgement waits")
                .isEqualTo(1);

        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(length);
        }
        assertThat(accept(2)).as("a new message once the pages are backed").isEqualTo(cycle);
        assertThat(counters.get(ShardCounter.JOURNAL_UNWRITTEN)).isZero();
        journal.close();
        open();

        List<String> expected = new ArrayList<>();
        expected.add(accepted(1, cycle));
        for (long seq : acknowledged) {
            expected.add("acknowledged 12/1 seq " + seq);
        }
        expected.add(accepted(2, cycle));
        assertThat(replayed(journal).stream().filter(record -> !record.startsWith("receipts delivered")))
                .as("every acknowledgement whole and in order, the refused ones before the next message")
                .containsExactlyElementsOf(expected);
    }

    @Test
    void shouldRefuseABatchedRecordWhoseMappedPageFaultsAndKeepTheRecordsBeforeItInItsBatch() throws Exception {
        open();
        journal.acceptInBatches();
        List<Long> written = new ArrayList<>();
        long id = 1;
        for (; id <= WARM_UP_WRITES; id++) {
            assertThat(accept(id)).isNotEqualTo(Journal.FAILED);
            written.add(id);
            if (id % 8 == 0) {
                journal.completeAccepted();
            }
        }
        File file = journal.writingFile();
        long length = file.length();
        long cut = (journal.writtenPosition() / 4096 + 1) * 4096;
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(cut);
        }

        long garbage = 0;
        long refused = 0;
        for (; refused == 0; id++) {
            assertThat(id).as("a write past the cut refused").isLessThan(WARM_UP_WRITES + 4096);
            if (accept(id) == Journal.FAILED) {
                refused = id;
            } else {
                written.add(id);
            }
            garbage += Long.toString(id).length() + new byte[64 + (int) (id & 255)].length;
        }
        assertThat(garbage).isPositive();
        assertThat(counters.get(ShardCounter.JOURNAL_REFUSED_MESSAGE)).isEqualTo(1);

        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(length);
        }
        int cycle = accept(id);
        assertThat(cycle).as("a new message once the pages are backed").isNotEqualTo(Journal.FAILED);
        written.add(id);
        journal.close();
        open();

        assertThat(replayed(journal))
                .as("every message but the refused one, #%d", refused)
                .containsExactlyElementsOf(
                        written.stream().map(each -> accepted(each, cycle)).toList());
    }

    /**
     * Chronicle writes a new file's header and its first two index arrays at its start, through the map, leaving
     * sparse the pages it did not write into; it writes an index entry into a new page of them only every few thousand
     * records, which on a full disk would fault instead of being refused at a write. At the first record every page
     * below the record has its disk blocks: with the file cut (after the journal closed) at the page the first record
     * ends in, {@code stat} counts a block under every byte left. And what is read back is what was written.
     */
    @Test
    void shouldAllocateTheBlocksOfTheFirstIndexArraysOfAFileAtItsFirstRecordWithoutChangingWhatReplays()
            throws Exception {
        open();
        int cycle = accept(1);
        File file = journal.writingFile();
        long belowFirstRecord = journal.writtenPosition() / 4096 * 4096;
        assertThat(accept(2)).isEqualTo(cycle);
        journal.close();
        open();
        assertThat(replayed(journal)).containsExactly(accepted(1, cycle), accepted(2, cycle));
        journal.close();
        journal = null;

        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(belowFirstRecord);
        }
        assertThat(allocatedBytes(file))
                .as("the disk blocks of the %d bytes of %s before its first record", belowFirstRecord, file)
                .isGreaterThanOrEqualTo(belowFirstRecord);
    }

    /**
     * The writer reserves a quarter of a block (16 MiB by default) past a file's first record before writing it, on
     * the ack path. Its blocks are allocated without being written: the process's write calls carry less than 1 MiB
     * meanwhile ({@code /proc/self/io}'s {@code wchar}), yet {@code stat} counts the blocks. Writing zeros there
     * cost milliseconds on the writer's thread and left as many dirty pages for the disk at every new file.
     */
    @Test
    void shouldAllocateTheBlocksAheadOfAFilesFirstRecordWithoutWritingThem() throws Exception {
        journal = ChronicleJournal.open(directory, RollCycles.FAST_HOURLY, time, JournalContext.BLOCK_BYTES_DEFAULT);
        journal.countIn(counters);
        long before = bytesWritten();
        accept(1);
        long written = bytesWritten() - before;

        File file = journal.writingFile();
        assertThat(allocatedBytes(file))
                .as("the disk blocks of %s a quarter of a block past its first record", file)
                .isGreaterThanOrEqualTo(journal.writtenPosition() + JournalContext.BLOCK_BYTES_DEFAULT / 4);
        assertThat(written)
                .as("bytes passed to write calls by the first record")
                .isLessThan(1024 * 1024);
    }

    /** What this process has passed to write calls so far ({@code wchar}, Linux). */
    private static long bytesWritten() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring("wchar:".length()).trim());
            }
        }
        throw new IOException("no wchar in /proc/self/io");
    }

    private static String accepted(long id, int cycle) {
        return "accepted " + ALICE + "/1 #" + id + " ts=" + (1_000 + id) + " to " + BOB + " media=[]/0 [1:msg:" + id
                + ":message " + id + "] cycle=" + cycle;
    }
}
