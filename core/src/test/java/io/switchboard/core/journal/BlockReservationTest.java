package io.switchboard.core.journal;

import static io.switchboard.core.journal.JournalPretoucherTest.allocatedBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.JournalContext;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the native binding for {@code fallocate} cannot load, a journal still takes its disk blocks before its writer
 * reaches them, by writing: the sparse pages below a file's first reservation (Chronicle's first index arrays) by
 * reading their bytes and writing them back, and the blocks ahead of the writer by writing zeros past everything
 * written. What was written reads the same afterwards.
 */
class BlockReservationTest {
    private static final int RECORDS = 100;

    @TempDir
    Path directory;

    @Test
    void shouldTakeTheBlocksByWritingWhereFallocateIsUnavailableAndChangeNothingWritten() throws Exception {
        File file;
        long recordStart;
        long belowRecord;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(directory.toFile())
                .rollCycle(RollCycles.FAST_HOURLY)
                .blockSize(JournalContext.BLOCK_BYTES_MIN)
                .timeProvider(new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(1_795_000_000_000L)))
                .build()) {
            ExcerptAppender appender = queue.createAppender();
            for (int i = 0; i < RECORDS; i++) {
                appender.writeText("record " + i);
            }
            try (DocumentContext next = appender.writingDocument()) {
                recordStart = next.wire().bytes().writePosition();
                next.rollbackOnClose();
            }
            file = appender.currentFile();
            belowRecord = recordStart / 4096 * 4096;
            byte[] written = read(file, recordStart);
            assertThat(allocatedBytes(file))
                    .as("the disk blocks of %s, whose first index arrays Chronicle leaves sparse", file)
                    .isLessThan(belowRecord);

            try (BlockReservation blocks = new BlockReservation(queue, Fallocate.unavailable())) {
                blocks.reserve(file, recordStart);
            }

            assertThat(allocatedBytes(file))
                    .as("the disk blocks of %s, a quarter of a block past its next record", file)
                    .isGreaterThanOrEqualTo(recordStart + JournalContext.BLOCK_BYTES_MIN / 4);
            assertThat(read(file, recordStart))
                    .as("the bytes below the next record")
                    .isEqualTo(written);
            ExcerptTailer tailer = queue.createTailer();
            for (int i = 0; i < RECORDS; i++) {
                assertThat(tailer.readText()).isEqualTo("record " + i);
            }
            assertThat(tailer.readText()).isNull();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw")) {
            raf.setLength(belowRecord);
        }
        assertThat(allocatedBytes(file))
                .as("the disk blocks of the %d bytes of %s below its next record", belowRecord, file)
                .isGreaterThanOrEqualTo(belowRecord);
    }

    private static byte[] read(File file, long length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(length));
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ)) {
            while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) >= 0) {
                // reads on until the buffer is full
            }
        }
        return bytes.array();
    }
}
