package io.switchboard.jmh.journal;

import io.switchboard.core.config.JournalContext;
import io.switchboard.core.journal.ChronicleJournal;
import io.switchboard.core.journal.JournalPretoucher;
import io.switchboard.jmh.BenchmarkBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.queue.RollCycles;

/**
 * A journal as a shard has it, in a temporary directory: Chronicle, hourly cycles, and with {@code pretouch} the
 * server's {@link JournalPretoucher} at its default distance ({@code journal.pretouch}). Deleted on close.
 */
final class BenchJournal implements AutoCloseable {
    final ChronicleJournal journal;
    private final Path directory;
    private final JournalPretoucher pretoucher;

    BenchJournal(String prefix, boolean pretouch) throws IOException {
        directory = Files.createTempDirectory(prefix);
        journal = ChronicleJournal.open(directory, RollCycles.FAST_HOURLY);
        if (pretouch) {
            pretoucher = JournalPretoucher.start(JournalContext.PRETOUCH_AHEAD_BYTES_DEFAULT);
            pretoucher.watch(journal);
        } else {
            pretoucher = null;
        }
    }

    @Override
    public void close() throws IOException {
        if (pretoucher != null) {
            pretoucher.close();
        }
        journal.close();
        BenchmarkBase.deleteDirectory(directory);
    }
}
