package io.switchboard.core.journal;

import static io.switchboard.core.journal.RecordingReplay.replayed;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.testing.TestSend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Accepted records written several to a document ({@link Journal#acceptInBatches()}): one document for a batch, none of
 * it readable by another reader of the queue until it is completed, each body read back by its message, every record
 * replayed, acknowledgements held meanwhile written after the batch, a batch no longer than its bytes or one longer
 * record, and a record refused without the batch before it. (A record that faults half-written in its batch is taken
 * out alone: {@code JournalDiskFullTest}.)
 */
class AcceptedBatchTest {
    private static final long ALICE = 11;
    private static final long BOB = 12;
    /** A fixed clock: every record goes into one roll cycle. */
    private static final long NOW_MS = 1_795_000_000_000L;

    @TempDir
    Path directory;

    private final SetTimeProvider time = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(NOW_MS));
    private ChronicleJournal journal;

    @AfterEach
    void close() {
        if (journal != null) {
            journal.close();
        }
    }

    private void open() {
        journal = ChronicleJournal.open(directory, RollCycles.FAST_HOURLY, time, 256 * 1024);
        journal.acknowledgeInBatches();
        journal.acceptInBatches();
    }

    private void reopen() {
        journal.close();
        open();
    }

    private long accept(long id, String body) {
        TestSend send = TestSend.from(ALICE, 1, 0, id, BOB).envelope(1, EnvelopeType.MSG, body);
        return journal.acceptedAt(send, 1_000 + id, new long[] {id});
    }

    private String accepted(long id, String body) {
        return "accepted " + ALICE + "/1 #" + id + " ts=" + (1_000 + id) + " to " + BOB + " media=[]/0 [1:msg:" + id
                + ":" + body + "] cycle=" + journal.cycle();
    }

    private String body(long index, long id) {
        ExpandableArrayBuffer into = new ExpandableArrayBuffer();
        int length = journal.readBody(index, ALICE, 1, id, 0, into);
        return length < 0 ? null : new String(into.byteArray(), 0, length, StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteABatchAsOneDocumentThatAnotherReaderSeesOnlyOnceCompleted() {
        open();
        long index = accept(1, "one");
        assertThat(accept(2, "two")).isEqualTo(index);
        assertThat(accept(3, "three")).isEqualTo(index);
        assertThat(documents())
                .as("nothing of the batch before it is completed")
                .isEmpty();

        journal.completeAccepted();

        assertThat(documents()).containsExactly(recordBytes("one") + recordBytes("two") + recordBytes("three"));
        assertThat(body(index, 2)).isEqualTo("two");
        assertThat(body(index, 3)).isEqualTo("three");
        assertThat(body(index, 4)).as("a message not in the batch").isNull();
        long next = accept(4, "four");
        assertThat(next).as("the next batch").isGreaterThan(index);
        assertThat(body(next, 4))
                .as("read back while its batch is open, which completes it")
                .isEqualTo("four");
        reopen();
        assertThat(replayed(journal))
                .containsExactly(accepted(1, "one"), accepted(2, "two"), accepted(3, "three"), accepted(4, "four"));
    }

    @Test
    void shouldWriteAcknowledgementsHeldDuringABatchAfterItAndEndABatchAtARecordOfAnotherKind() {
        open();
        long first = accept(1, "one");
        journal.acknowledged(BOB, 1, 1, journal.cycleOf(first));
        assertThat(accept(2, "two"))
                .as("the held acknowledgement does not end the batch")
                .isEqualTo(first);
        assertThat(journal.receiptPending(ALICE, 1, 1, BOB, ReceiptKind.DELIVERED, 2_000))
                .isNotEqualTo(Journal.FAILED);
        assertThat(accept(3, "three")).as("after a record of another kind").isGreaterThan(first);
        journal.flush();

        reopen();

        assertThat(replayed(journal))
                .containsExactly(
                        accepted(1, "one"),
                        accepted(2, "two"),
                        "acknowledged 12/1 seq 1",
                        "receipt pending 11/1 #1 from 12 delivered ts=2000 cycle=" + journal.cycle(),
                        accepted(3, "three"));
    }

    @Test
    void shouldRefuseARecordLongerThanChronicleTakesAndKeepTheBatchBeforeIt() {
        open();
        long index = accept(1, "one");
        assertThat(accept(2, "two")).isEqualTo(index);
        // Chronicle takes a record of at most a quarter of its block: this one fails in the middle of its body.
        assertThat(accept(3, "x".repeat(100_000))).isEqualTo(Journal.FAILED);
        long after = accept(4, "four");
        assertThat(after).isNotEqualTo(Journal.FAILED).isGreaterThan(index);
        journal.completeAccepted();

        assertThat(documents())
                .as("the batch ends with the record before the one that failed")
                .containsExactly(recordBytes("one") + recordBytes("two"), recordBytes("four"));
        assertThat(body(index, 2)).isEqualTo("two");
        reopen();
        assertThat(replayed(journal)).containsExactly(accepted(1, "one"), accepted(2, "two"), accepted(4, "four"));
    }

    @Test
    void shouldTakeARecordLongerThanABatchHasRoomForIntoADocumentOfItsOwn() {
        open();
        long index = accept(1, "x".repeat(RecordAppender.BATCH_BYTES / 2));
        // Less than a quarter of a block: Chronicle takes it alone, but not behind the batch's first record.
        long alone = accept(2, "y".repeat(60_000));
        assertThat(alone).isNotEqualTo(Journal.FAILED).isGreaterThan(index);
        assertThat(accept(3, "three")).as("a batch after it").isGreaterThan(alone);
        journal.completeAccepted();

        assertThat(body(alone, 2)).hasSize(60_000);
        assertThat(documents()).hasSize(3);
    }

    @Test
    void shouldOpenAnotherDocumentForTheRecordThatWouldTakeABatchPastItsBytes() {
        open();
        String body = "x".repeat(1000);
        long recordBytes = recordBytes(body);
        long firstPast = RecordAppender.BATCH_BYTES / recordBytes + 1;
        long index = accept(1, body);
        long id = 1;
        while (accept(++id, body) == index) {
            assertThat(id).isLessThan(firstPast);
        }
        journal.completeAccepted();

        assertThat(id)
                .as("the first record that would end past the batch's bytes")
                .isEqualTo(firstPast);
        assertThat(documents()).hasSize(2);
    }

    /** A one-envelope ACCEPTED record's bytes: the fixed fields, 49; the envelope count, 4; the envelope's, 20. */
    private static long recordBytes(String body) {
        return 49 + 4 + 20 + body.length();
    }

    /** The length of each document a reader of its own finds in the queue. */
    private List<Long> documents() {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory)
                        .rollCycle(RollCycles.FAST_HOURLY)
                        .timeProvider(time)
                        .build();
                ExcerptTailer tailer = queue.createTailer()) {
            List<Long> lengths = new ArrayList<>();
            while (true) {
                try (DocumentContext document = tailer.readingDocument()) {
                    if (!document.isPresent()) {
                        return lengths;
                    }
                    lengths.add(document.wire().bytes().readRemaining());
                }
            }
        }
    }
}
