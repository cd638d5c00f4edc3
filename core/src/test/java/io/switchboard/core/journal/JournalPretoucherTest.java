package io.switchboard.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.JournalContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.message.SendView;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.testing.TestSend;
import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.IoUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pretoucher on real Chronicle files: the pages ahead of the writer come into the page cache (what the kernel's
 * {@code mincore} reports through {@link MappedByteBuffer#isLoaded()}), in the writer's current cycle file, and the
 * journal replays what was written; the thread lives exactly as long as the journals. Timing is left to the benchmark
 * ({@code JournalAppendBenchmark}) and the scenario runs.
 */
@Timeout(60)
class JournalPretoucherTest {
    private static final long MIB = 1024 * 1024;
    /**
     * Twice the 8 MiB that the writer's own faults make the kernel read around them here, so that the far half of the
     * range is in memory only if the pretoucher read it.
     */
    private static final long AHEAD_BYTES = 16 * MIB;

    private static final long NOW_MS = 1_795_000_000_000L;

    @TempDir
    Path directory;

    private final SetTimeProvider time = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(NOW_MS));
    private ChronicleJournal journal;
    private JournalPretoucher pretoucher;

    @AfterEach
    void close() {
        if (pretoucher != null) {
            pretoucher.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    private ChronicleJournal open() {
        journal = ChronicleJournal.open(directory, RollCycles.FAST_HOURLY, time, JournalContext.BLOCK_BYTES_DEFAULT);
        return journal;
    }

    private void append(int from, int count) {
        for (int id = from; id < from + count; id++) {
            SendView send = TestSend.from(1, 1, 0, id, 2).envelope(1, EnvelopeType.MSG, "message " + id);
            assertThat(journal.accepted(send, NOW_MS, new long[] {id})).isNotEqualTo(Journal.FAILED);
        }
    }

    @Test
    void shouldBringThePagesAheadOfTheWriterIntoMemoryWithoutChangingWhatReplays() throws Exception {
        open();
        pretoucher = JournalPretoucher.start(AHEAD_BYTES);
        pretoucher.watch(journal);

        append(1, 1_000);

        awaitInMemory(journal.writingFile(), journal.writtenPosition());
        journal.close();
        open();
        assertThat(acceptedOnReplay(journal)).isEqualTo(1_000);
    }

    /**
     * The disk blocks under the file (as {@code stat} counts them) run past what the writer reserves for itself (a
     * quarter of a block and 1 MiB past its record) to {@link BlockReservation#PRETOUCH_AHEAD_BYTES} past what it
     * needs: the pretoucher reserved them, while the writer appended; and the zeros it wrote there land on no record.
     */
    @Test
    void shouldAllocateTheDiskBlocksAheadOfTheWriterWithoutChangingWhatReplays() throws Exception {
        open();
        pretoucher = JournalPretoucher.start(JournalContext.PRETOUCH_AHEAD_BYTES_MIN);
        pretoucher.watch(journal);

        append(1, 30_000);

        File file = journal.writingFile();
        // Less the first two index arrays, which Chronicle writes at the file's start, before any reservation, and
        // leaves sparse until it fills them.
        long sparseIndexBytes = 2 * (RollCycles.FAST_HOURLY.defaultIndexCount() * 8L + 128);
        long wanted = journal.writtenPosition()
                + JournalContext.BLOCK_BYTES_DEFAULT / 4
                + BlockReservation.PRETOUCH_AHEAD_BYTES
                - sparseIndexBytes;
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (allocatedBytes(file) < wanted && System.nanoTime() < deadlineNs) {
            Thread.sleep(10);
        }
        assertThat(allocatedBytes(file))
                .as(
                        "the disk blocks of %s, %d MiB past what the writer needs",
                        file, BlockReservation.PRETOUCH_AHEAD_BYTES / MIB)
                .isGreaterThanOrEqualTo(wanted);
        pretoucher.close();
        pretoucher = null;
        journal.close();
        open();
        assertThat(acceptedOnReplay(journal)).isEqualTo(30_000);
    }

    /** The bytes of the disk blocks a file holds, as {@code stat} counts them (in 512-byte units). */
    static long allocatedBytes(File file) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.getPath()).start();
        String blocks = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(stat.waitFor()).as("stat %s", file).isZero();
        return Long.parseLong(blocks.trim()) * 512;
    }

    @Test
    void shouldFollowTheWriterIntoTheNextCycleFile() throws Exception {
        open();
        pretoucher = JournalPretoucher.start(AHEAD_BYTES);
        pretoucher.watch(journal);
        append(1, 100);
        File first = journal.writingFile();

        time.advanceMillis(TimeUnit.HOURS.toMillis(1));
        append(101, 100);

        assertThat(journal.writingFile()).isNotEqualTo(first);
        awaitInMemory(journal.writingFile(), journal.writtenPosition());
    }

    @Test
    void shouldRunWhileTheJournalsAreOpenAndStopWhenTheyClose() {
        // Counted, not looked for: a server another test left open would have its own.
        long before = pretouchThreads();
        JournalContext context = JournalContext.from(Settings.empty(), 64 * 1024);
        Journals journals = new Journals(context, directory, "sharded-2");
        journals.open("0", CounterSet.standalone("0", ShardCounter.class), SystemTimeProvider.INSTANCE);
        journals.open("1", CounterSet.standalone("1", ShardCounter.class), SystemTimeProvider.INSTANCE);

        assertThat(pretouchThreads())
                .as("one pretouch thread while the journals are open")
                .isEqualTo(before + 1);
        journals.close();
        assertThat(pretouchThreads()).as("pretouch threads after close").isEqualTo(before);
    }

    @Test
    void shouldNotStartWhenTurnedOff() {
        JournalContext context =
                JournalContext.from(Settings.empty().with(JournalContext.PRETOUCH_PROP, "off", "test"), 64 * 1024);
        long before = pretouchThreads();
        try (Journals journals = new Journals(context, directory, "sharded-1")) {
            journals.open("0", CounterSet.standalone("0", ShardCounter.class), SystemTimeProvider.INSTANCE);

            assertThat(pretouchThreads()).isEqualTo(before);
        }
    }

    private static long pretouchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("switchboard-journal-pretouch") && thread.isAlive())
                .count();
    }

    /** Waits until every page from the writer's position to AHEAD_BYTES past it is in the page cache. */
    private static void awaitInMemory(File file, long position) throws IOException, InterruptedException {
        long from = position & ~4095L;
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
            assertThat(channel.size()).as("file length").isGreaterThanOrEqualTo(position + AHEAD_BYTES);
            MappedByteBuffer range = channel.map(FileChannel.MapMode.READ_ONLY, from, position + AHEAD_BYTES - from);
            try {
                long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!range.isLoaded() && System.nanoTime() < deadlineNs) {
                    Thread.sleep(10);
                }
                assertThat(range.isLoaded())
                        .as(
                                "the %d MiB after the writer's position %d in %s are in memory",
                                AHEAD_BYTES / MIB, position, file)
                        .isTrue();
            } finally {
                IoUtil.unmap(range);
            }
        }
    }

    private static long acceptedOnReplay(Journal journal) {
        return RecordingReplay.replayed(journal).stream()
                .filter(line -> line.startsWith("accepted "))
                .count();
    }
}
