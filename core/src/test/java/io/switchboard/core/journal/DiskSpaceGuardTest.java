package io.switchboard.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.session.SendView;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
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
            assertThat(journal.accepted(new OneByteSend(), 1L, seqs)).isEqualTo(Journal.FAILED);
            low[0] = false;
            assertThat(journal.accepted(new OneByteSend(), 1L, seqs)).isNotEqualTo(Journal.FAILED);
        } finally {
            journal.close();
        }
    }

    /** The smallest valid send: one device, one byte. */
    private static final class OneByteSend implements SendView {
        private final UnsafeBuffer body = new UnsafeBuffer(new byte[1]);

        @Override
        public long senderUser() {
            return 1;
        }

        @Override
        public int senderDevice() {
            return 1;
        }

        @Override
        public long senderConnection() {
            return 0;
        }

        @Override
        public long id() {
            return 1;
        }

        @Override
        public long toUser() {
            return 2;
        }

        @Override
        public int envelopeCount() {
            return 1;
        }

        @Override
        public int envelopeDevice(int index) {
            return 1;
        }

        @Override
        public EnvelopeType envelopeType(int index) {
            return EnvelopeType.MSG;
        }

        @Override
        public DirectBuffer bodyBuffer(int index) {
            return body;
        }

        @Override
        public int bodyOffset(int index) {
            return 0;
        }

        @Override
        public int bodyLength(int index) {
            return 1;
        }

        @Override
        public int mediaIdLength() {
            return 0;
        }

        @Override
        public void getMediaId(byte[] dst) {}

        @Override
        public long mediaSize() {
            return 0;
        }
    }
}
