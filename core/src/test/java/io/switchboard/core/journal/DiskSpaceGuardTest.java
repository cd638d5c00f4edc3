package io.switchboard.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.testing.TestSend;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New messages are refused while free space is below the reserve, and accepted again when it is back. */
class DiskSpaceGuardTest {
    @TempDir
    Path directory;

    @Test
    void shouldSayLowBelowTheReserveAndRecoverAboveIt() {
        AtomicLong free = new AtomicLong(10_000);
        try (DiskSpaceGuard guard = new DiskSpaceGuard("test", 4_096, free::get, false)) {
            assertThat(guard.low()).isFalse();
            free.set(4_095);
            guard.check();
            assertThat(guard.low()).isTrue();
            free.set(1 << 20);
            guard.check();
            assertThat(guard.low()).isFalse();
        }
    }

    @Test
    void shouldNeverSayLowWithAReserveOfZero() {
        try (DiskSpaceGuard guard = new DiskSpaceGuard("test", 0, () -> 0, false)) {
            assertThat(guard.low()).isFalse();
        }
    }

    @Test
    void shouldWatchARealFilesystem() {
        try (DiskSpaceGuard roomy = DiskSpaceGuard.watching(directory, 1);
                DiskSpaceGuard impossible = DiskSpaceGuard.watching(directory, Long.MAX_VALUE)) {
            assertThat(roomy.low()).isFalse();
            assertThat(impossible.low()).isTrue();
        }
    }

    @Test
    void shouldRefuseNewMessagesWhileStorageIsLowAndAcceptThemAfter() {
        boolean[] low = {true};
        ChronicleJournal journal = ChronicleJournal.open(directory, RollCycles.FAST_HOURLY);
        try {
            journal.refuseWhen(() -> low[0]);
            long[] seqs = {1};
            assertThat(journal.accepted(TestSend.from(1, 1, 0, 1, 2).envelope(1, "x"), 1L, seqs))
                    .isEqualTo(Journal.FAILED);
            low[0] = false;
            assertThat(journal.accepted(TestSend.from(1, 1, 0, 1, 2).envelope(1, "x"), 1L, seqs))
                    .isNotEqualTo(Journal.FAILED);
        } finally {
            journal.close();
        }
    }
}
