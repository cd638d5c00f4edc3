package io.switchboard.core.journal;

import static io.switchboard.core.journal.RecordingReplay.replayed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.switchboard.core.config.JournalContext;
import io.switchboard.core.message.GroupInvite;
import io.switchboard.core.message.GroupMessage;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.testing.TestSend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Chronicle journal on its own: every record type written, reopened and replayed as written; and a journal whose
 * newest file has a damaged tail, as a crash, a full disk or a bad sector leaves it, replays what comes before the
 * damage, says what it skipped, never throws, and keeps what is written after the damage for the next start.
 *
 * <p>The damage is done to the bytes of the newest cycle file ({@code .cq4}), whose layout (Chronicle Queue 2026.4,
 * seen with {@code od}) is a run of 4-byte little-endian headers, each followed by its content and padded to 4 bytes:
 * bit 31 of a header marks a write in progress, bit 30 metadata (the store header, the index2index and index arrays
 * come first, then the data), the low 30 bits are the content's length, and a zero header ends what was written. The
 * file is sparse: Chronicle extends it a block (plus an overlap) at a time, far beyond what was written, and extends it
 * again when a truncated file is reopened, so a cut-off tail reads back as zeros.
 */
class ChronicleJournalTest {
    private static final long ALICE = 11;
    private static final long BOB = 12;
    private static final int HEADER_LENGTH_MASK = 0x3fffffff;
    private static final int HEADER_META_DATA = 0x40000000;
    private static final int HEADER_NOT_COMPLETE = 0x80000000;

    /** A fixed clock: every record goes into one roll cycle, whatever the hour the test runs at. */
    private static final long NOW_MS = 1_795_000_000_000L;

    @TempDir
    Path directory;

    private final SetTimeProvider time = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(NOW_MS));
    private long blockBytes = JournalContext.BLOCK_BYTES_DEFAULT;
    private ChronicleJournal journal;
    private int cycle;

    @AfterEach
    void close() {
        if (journal != null) {
            journal.close();
        }
    }

    private ChronicleJournal open() {
        journal = ChronicleJournal.open(directory, RollCycles.FAST_HOURLY, time, blockBytes);
        return journal;
    }

    private void reopen() {
        journal.close();
        open();
    }

    private static TestSend message(long id, String body) {
        return TestSend.from(ALICE, 1, 0, id, BOB).envelope(1, EnvelopeType.MSG, body);
    }

    /** Writes messages {@code 1..count} to Bob, each with seq = id. */
    private void writeMessages(int count) {
        for (int id = 1; id <= count; id++) {
            cycle = journal.accepted(message(id, "message " + id), 1_000 + id, new long[] {id});
            assertThat(cycle).isNotEqualTo(Journal.FAILED);
        }
    }

    private String accepted(long id, String body) {
        return "accepted " + ALICE + "/1 #" + id + " ts=" + (1_000 + id) + " to " + BOB + " media=[]/0 [1:msg:" + id
                + ":" + body + "] cycle=" + cycle;
    }

    @Test
    void shouldReplayEveryRecordTypeAsWritten() {
        open();
        TestSend withMedia = TestSend.from(ALICE, 2, 0, 41, BOB)
                .media("m-0123456789abcdef", 123_456_789L)
                .envelope(1, EnvelopeType.PKMSG, "to Bob's phone")
                .envelope(3, EnvelopeType.MSG, "to Bob's laptop, a little longer")
                .envelope(7, EnvelopeType.PLAIN, "");
        cycle = journal.accepted(withMedia, 1_700_000_000_123L, new long[] {5, 17, 1});
        assertThat(cycle).isNotEqualTo(Journal.FAILED);
        TestSend plain = TestSend.from(BOB, 1, 0, 9, ALICE).envelope(2, EnvelopeType.SKMSG, "back to Alice");
        assertThat(journal.accepted(plain, 1_700_000_000_456L, new long[] {3})).isEqualTo(cycle);
        journal.acknowledged(BOB, 3, 17, cycle);
        assertThat(journal.receiptPending(ALICE, 2, 41, BOB, ReceiptKind.DELIVERED, 1_700_000_001_000L))
                .isEqualTo(cycle);
        assertThat(journal.receiptPending(ALICE, 2, 40, BOB, ReceiptKind.READ, 1_700_000_002_000L))
                .isEqualTo(cycle);
        journal.receiptsDelivered(ALICE, 2, new int[] {cycle, cycle}, 2);
        assertThat(journal.unread(BOB, ALICE, 2, 41, 1_700_000_000_123L, false)).isEqualTo(cycle);
        assertThat(journal.unread(BOB, ALICE, 2, 42, 1_700_000_000_124L, true)).isEqualTo(cycle);
        journal.read(BOB, ALICE, 2, 41, cycle);
        List<String> written = List.of(
                "accepted 11/2 #41 ts=1700000000123 to 12 media=[m-0123456789abcdef]/123456789"
                        + " [1:pkmsg:5:to Bob's phone, 3:msg:17:to Bob's laptop, a little longer, 7:plain:1:]"
                        + " cycle=" + cycle,
                "accepted 12/1 #9 ts=1700000000456 to 11 media=[]/0 [2:skmsg:3:back to Alice] cycle=" + cycle,
                "acknowledged 12/3 seq 17",
                "receipt pending 11/2 #41 from 12 delivered ts=1700000001000 cycle=" + cycle,
                "receipt pending 11/2 #40 from 12 read ts=1700000002000 cycle=" + cycle,
                "receipts delivered 11/2",
                "unread 12 from 11/2 #41 ts=1700000000123 one-to-one cycle=" + cycle,
                "unread 12 from 11/2 #42 ts=1700000000124 group cycle=" + cycle,
                "read 12 from 11/2 #41");

        reopen();

        assertThat(replayed(journal)).containsExactlyElementsOf(written);
        reopen();
        assertThat(replayed(journal)).as("replay changes nothing").containsExactlyElementsOf(written);
    }

    @Test
    void shouldWriteBatchedAcknowledgementsBeforeTheNextRecordAndAtFlushInTheOrderTheyCame() throws IOException {
        open().acknowledgeInBatches();
        writeMessages(3);
        journal.acknowledged(BOB, 1, 1, cycle);
        journal.acknowledged(BOB, 1, 2, cycle);
        int records = dataRecords().size();
        assertThat(records).as("held back").isEqualTo(3);
        assertThat(journal.receiptPending(ALICE, 1, 1, BOB, ReceiptKind.DELIVERED, 2_000))
                .isEqualTo(cycle);
        journal.acknowledged(BOB, 1, 3, cycle);
        journal.flush();
        journal.flush(); // nothing held: writes nothing

        assertThat(dataRecords())
                .as("one record for the two, one for the receipt, one for the third")
                .hasSize(6);
        reopen();
        assertThat(replayed(journal))
                .containsExactly(
                        accepted(1, "message 1"),
                        accepted(2, "message 2"),
                        accepted(3, "message 3"),
                        "acknowledged 12/1 seq 1",
                        "acknowledged 12/1 seq 2",
                        "receipt pending 11/1 #1 from 12 delivered ts=2000 cycle=" + cycle,
                        "acknowledged 12/1 seq 3");
    }

    @Test
    void shouldWriteAFullBatchAtOnceAndWhatIsHeldAtClose() throws IOException {
        open().acknowledgeInBatches();
        int messages = AcknowledgedBatch.MAX_ENTRIES + 1;
        writeMessages(messages);
        for (int id = 1; id <= messages; id++) {
            journal.acknowledged(BOB, 1, id, cycle);
        }
        assertThat(dataRecords())
                .as("the full batch, written when the next came")
                .hasSize(messages + 1);

        reopen();

        assertThat(dataRecords()).as("and the last, at close").hasSize(messages + 2);
        List<String> acknowledged = replayed(journal).stream()
                .filter(line -> line.startsWith("acknowledged"))
                .toList();
        assertThat(acknowledged).hasSize(messages);
        assertThat(acknowledged.get(messages - 1)).isEqualTo("acknowledged 12/1 seq " + messages);
    }

    @Test
    void shouldDeleteACyclePastTheRetentionThoughARecordInItIsStillHeld() throws IOException {
        long retentionMs = TimeUnit.DAYS.toMillis(1);
        journal = ChronicleJournal.open(directory, RollCycles.FAST_HOURLY, time, blockBytes, retentionMs);
        journal.receiptPending(ALICE, 1, 7, BOB, ReceiptKind.READ, NOW_MS);
        time.currentTimeMillis(NOW_MS + TimeUnit.HOURS.toMillis(1));
        writeMessages(1);
        journal.acknowledged(BOB, 1, 1, cycle);
        assertThat(cycleFiles())
                .as("the receipt's cycle is held and within the retention: it keeps itself and every later one")
                .hasSize(2);

        time.currentTimeMillis(NOW_MS + 2 * retentionMs);
        journal.lastSeen(BOB, NOW_MS + 2 * retentionMs);
        journal.deleteExpired();

        assertThat(cycleFiles()).as("only the cycle being written is left").hasSize(1);
        assertThat(journal.deletedFiles()).isEqualTo(2);
    }

    private List<Path> cycleFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".cq4")).toList();
        }
    }

    @Test
    void shouldReplayGroupRecordsAsWrittenGroupsFirst() {
        open();
        journal.lastSeen(BOB, 1_700_000_000_000L);
        GroupMessage message = new GroupMessage(
                "family",
                1,
                ALICE,
                2,
                8,
                1_700_000_000_123L,
                EnvelopeType.SKMSG,
                "to everyone".getBytes(StandardCharsets.UTF_8),
                "m-1".getBytes(StandardCharsets.US_ASCII),
                777,
                new long[] {ALICE, BOB, 13});
        long stored = journal.groupMessageAt(message, 2);
        assertThat(stored).isNotEqualTo(Journal.FAILED);
        // What the owners of members read back when the body is not kept on the heap, from their own threads.
        ExpandableArrayBuffer readBack = new ExpandableArrayBuffer(4);
        int length = CompletableFuture.supplyAsync(() -> journal.storedBodies().read(stored, readBack))
                .join();
        assertThat(new String(readBack.byteArray(), 0, length, StandardCharsets.UTF_8))
                .isEqualTo("to everyone");
        assertThat(journal.groupQueued(message, 2, new long[] {BOB, 13}, new int[] {1, 3}, new long[] {4, 9}, false))
                .isNotEqualTo(Journal.FAILED);
        assertThat(journal.groupQueued(message, 1, new long[] {ALICE}, new int[] {1}, new long[] {2}, true))
                .isNotEqualTo(Journal.FAILED);
        journal.groupReleased(message, 0);
        assertThat(journal.groupState(
                        "family",
                        new long[] {ALICE, BOB, 13},
                        new long[] {ALICE},
                        List.of(new GroupInvite(14, ALICE, "AAAAAAAAAAAAAAAAAAAAAAA-", 1_700_000_300_000L))))
                .isNotEqualTo(Journal.FAILED);
        reopen();

        RecordingReplay recording = new RecordingReplay();
        journal.replay(recording, Journal.ReplayPass.GROUPS);
        journal.replay(recording, Journal.ReplayPass.SESSIONS);
        long aliceKey = ALICE * 64 + 2;
        assertThat(recording.records)
                .containsExactly(
                        "group message family owner 1 from 11/2 #8 ts=1700000000123 skmsg to everyone media=m-1/777"
                                + " members [11, 12, 13]",
                        "group released owner 1 sender key " + aliceKey + " #8 by 0",
                        "group family members [11, 12, 13] admins [11] invites [GroupInvite[user=14, by=11,"
                                + " code=AAAAAAAAAAAAAAAAAAAAAAA-, expiresAtMs=1700000300000]]",
                        "last seen 12 1700000000000",
                        "group queued owner 1 sender key " + aliceKey + " #8 for 12/1 seq 4 body shared",
                        "group queued owner 1 sender key " + aliceKey + " #8 for 13/3 seq 9 body shared",
                        "group queued owner 1 sender key " + aliceKey + " #8 for 11/1 seq 2 body to everyone");
    }

    @Test
    void shouldRefuseARecordLargerThanAQuarterOfABlockAndKeepWriting() {
        // Chronicle takes a record of at most a quarter of its block (64k for a 256k block): hence the rule that
        // journal.blockBytes be at least 4 x (transport.maxFrameBytes + 4k).
        blockBytes = 256 * 1024;
        open();
        assertThat(journal.accepted(message(1, "x".repeat(100_000)), 1_001, new long[] {1}))
                .isEqualTo(Journal.FAILED);
        cycle = journal.accepted(message(2, "x".repeat(60_000)), 1_002, new long[] {2});
        assertThat(cycle).isNotEqualTo(Journal.FAILED);
        assertThat(journal.accepted(message(3, "small"), 1_003, new long[] {3})).isEqualTo(cycle);

        reopen();

        assertThat(replayed(journal)).containsExactly(accepted(2, "x".repeat(60_000)), accepted(3, "small"));
    }

    @Test
    void shouldSkipALastRecordCutOffInTheMiddle() throws IOException {
        open();
        writeMessages(5);
        journal.close();
        Record last = lastDataRecord();
        // What is left of the record after the cut comes back as zeros when Chronicle extends the file again.
        truncate(last.position() + 4 + 20);

        assertRecoversAfter(last, "is unreadable and skipped");
    }

    @Test
    void shouldSkipALastRecordCutOffInItsHeader() throws IOException {
        open();
        writeMessages(5);
        journal.close();
        Record last = lastDataRecord();
        // The low bytes of the little-endian header (its length) survive; the content is all zeros.
        truncate(last.position() + 2);

        assertRecoversAfter(last, "unknown record type 0");
    }

    @Test
    void shouldSkipALastRecordOverwrittenWithGarbage() throws IOException {
        open();
        writeMessages(5);
        journal.close();
        Record last = lastDataRecord();
        byte[] garbage = new byte[last.length()];
        new Random(42).nextBytes(garbage);
        garbage[0] = 99; // no record type
        overwrite(last.position() + 4, garbage);

        assertRecoversAfter(last, "unknown record type 99");
    }

    @Test
    void shouldSkipALastRecordWithAnImpossibleBodyLengthWithoutAllocatingIt() throws IOException {
        open();
        writeMessages(5);
        journal.close();
        Record last = lastDataRecord();
        // type, sender user and device, id, ts, recipient, media size, media id length (0), envelope count, then the
        // envelope's device, type and seq: the body length follows at 69.
        overwrite(last.position() + 4 + 69, littleEndianInt(Integer.MAX_VALUE));

        assertRecoversAfter(last, "body length 2147483647");
    }

    @Test
    void shouldSkipARecordWithAnImpossibleDeviceAndReplayTheRecordsAfterIt() throws IOException {
        open();
        writeMessages(5);
        journal.close();
        List<Record> records = dataRecords();
        Record third = records.get(2);
        overwrite(third.position() + 4 + 53, littleEndianInt(1000));

        open();
        List<String> errors = new ArrayList<>();
        List<String> replayed = captureErrors(errors, () -> replayed(journal));

        assertThat(replayed)
                .containsExactly(
                        accepted(1, "message 1"),
                        accepted(2, "message 2"),
                        accepted(4, "message 4"),
                        accepted(5, "message 5"));
        assertThat(String.join("\n", errors))
                .contains("is unreadable and skipped: device 1000")
                .contains("1 unreadable records skipped, 4 replayed");
    }

    @Test
    void shouldSkipAWholeBatchOfAcknowledgementsWhenOneOfThemIsImpossible() throws IOException {
        open().acknowledgeInBatches();
        writeMessages(3);
        journal.acknowledged(BOB, 1, 1, cycle);
        journal.acknowledged(BOB, 1, 2, cycle);
        journal.flush();
        journal.acknowledged(BOB, 1, 3, cycle);
        journal.close();
        Record batch = dataRecords().get(3);
        // Past the header, the type, the count, the first entry and the second's user: the second's device.
        overwrite(batch.position() + 4 + 1 + 4 + 20 + 8, littleEndianInt(1000));

        open();
        List<String> errors = new ArrayList<>();
        List<String> replayed = captureErrors(errors, () -> replayed(journal));

        assertThat(replayed)
                .as("none of the batch, not even the first, which is whole")
                .containsExactly(
                        accepted(1, "message 1"),
                        accepted(2, "message 2"),
                        accepted(3, "message 3"),
                        "acknowledged 12/1 seq 3");
        assertThat(String.join("\n", errors)).contains("is unreadable and skipped: device 1000");
    }

    @Test
    void shouldStopAtAHeaderMarkedAsAWriteInProgressAndReportWhatItHidesAtTheNextStart() throws IOException {
        open();
        writeMessages(5);
        journal.close();
        Record last = lastDataRecord();
        // A kill -9 in the middle of a write leaves a zero header in this Chronicle version (the write lock, not the
        // header, marks a write in progress), which reads as the end; a header with bit 31 set is damage.
        overwrite(last.position(), littleEndianInt(HEADER_NOT_COMPLETE | last.length()));

        open();
        List<String> first = new ArrayList<>();
        assertThat(captureErrors(first, () -> replayed(journal)))
                .as("Chronicle ends its reading at the marked header, silently")
                .containsExactly(
                        accepted(1, "message 1"),
                        accepted(2, "message 2"),
                        accepted(3, "message 3"),
                        accepted(4, "message 4"));
        assertThat(journal.accepted(message(6, "after the damage"), 1_006, new long[] {6}))
                .isNotEqualTo(Journal.FAILED);
        reopen();
        List<String> second = new ArrayList<>();

        List<String> replayed = captureErrors(second, () -> replayed(journal));

        // Chronicle appends after the marked header, and its tailer never reads past it: a known limit, not fixed
        // here, so the record written after the damage is lost. What is promised is that the start goes on and the
        // operator is told. (Should a Chronicle version read past the header, this fails: then assert record 6.)
        assertThat(replayed)
                .containsExactly(
                        accepted(1, "message 1"),
                        accepted(2, "message 2"),
                        accepted(3, "message 3"),
                        accepted(4, "message 4"));
        assertThat(String.join("\n", second)).contains("reading stopped after record", "are skipped");
    }

    /**
     * Reopens, replays and checks that every record before {@code damaged} comes back, that the error log names what
     * was skipped, that nothing throws; then that a record written after the damage comes back at the next start.
     */
    private void assertRecoversAfter(Record damaged, String logged) {
        List<String> before = List.of(
                accepted(1, "message 1"), accepted(2, "message 2"), accepted(3, "message 3"), accepted(4, "message 4"));
        open();
        List<String> errors = new ArrayList<>();
        List<String> replayed = new ArrayList<>();
        assertThatCode(() -> replayed.addAll(captureErrors(errors, () -> replayed(journal))))
                .doesNotThrowAnyException();

        assertThat(replayed).containsExactlyElementsOf(before);
        assertThat(String.join("\n", errors))
                .as("the damaged record at " + Long.toHexString(damaged.position()) + " is reported")
                .contains(logged)
                .contains("1 unreadable records skipped, 4 replayed");

        assertThat(journal.accepted(message(6, "after the damage"), 1_006, new long[] {6}))
                .isNotEqualTo(Journal.FAILED);
        reopen();
        List<String> after = new ArrayList<>(before);
        after.add(accepted(6, "after the damage"));
        assertThat(captureErrors(new ArrayList<>(), () -> replayed(journal)))
                .as("what was written after the damage survives the next start")
                .containsExactlyElementsOf(after);
    }

    /** Runs {@code action} with System.err (where slf4j-simple writes) also copied, line by line, to {@code lines}. */
    private static <T> T captureErrors(List<String> lines, Supplier<T> action) {
        PrintStream original = System.err;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        System.setErr(new PrintStream(
                new OutputStream() {
                    @Override
                    public void write(int b) {
                        original.write(b);
                        copy.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        original.write(b, off, len);
                        copy.write(b, off, len);
                    }
                },
                true,
                StandardCharsets.UTF_8));
        try {
            return action.get();
        } finally {
            System.err.flush();
            System.setErr(original);
            copy.toString(StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> line.contains("ERROR"))
                    .forEach(lines::add);
        }
    }

    private record Record(long position, int length) {}

    private Path newestCycleFile() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".cq4"))
                    .sorted()
                    .reduce((first, second) -> second)
                    .orElseThrow();
        }
    }

    /** The data records of the newest cycle file, walking Chronicle's headers from the start. */
    private List<Record> dataRecords() throws IOException {
        List<Record> records = new ArrayList<>();
        try (FileChannel file = FileChannel.open(newestCycleFile(), StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            long position = 0;
            while (true) {
                header.clear();
                if (file.read(header, position) < 4) {
                    break;
                }
                int value = header.getInt(0);
                if (value == 0) {
                    break;
                }
                int length = value & HEADER_LENGTH_MASK;
                if ((value & HEADER_META_DATA) == 0) {
                    records.add(new Record(position, length));
                }
                position = (position + 4 + length + 3) & ~3L;
            }
        }
        assertThat(records).as("data records in " + newestCycleFile()).isNotEmpty();
        return records;
    }

    private Record lastDataRecord() throws IOException {
        List<Record> records = dataRecords();
        return records.get(records.size() - 1);
    }

    private void truncate(long size) throws IOException {
        try (FileChannel file = FileChannel.open(newestCycleFile(), StandardOpenOption.WRITE)) {
            file.truncate(size);
        }
    }

    private void overwrite(long position, byte[] bytes) throws IOException {
        try (FileChannel file = FileChannel.open(newestCycleFile(), StandardOpenOption.WRITE)) {
            file.write(ByteBuffer.wrap(bytes), position);
        }
    }

    private static byte[] littleEndianInt(int value) {
        return ByteBuffer.allocate(4)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(value)
                .array();
    }
}
