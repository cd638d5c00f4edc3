package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.RouterContext;
import io.switchboard.core.journal.ChronicleJournal;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.testing.TestSend;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's part of a one-to-one message, with every message journaled to a real Chronicle queue and the recipient
 * online: accepted, acknowledged, written to the recipient, acknowledged by it, and the sender's {@code delivered}
 * receipt written. Once warm this allocates nothing on the owner's thread but the journal's probes on JDK 17: the queue
 * entry lives in the device's ring, the record is one given back by an earlier message, and the body stays in the
 * journal.
 */
class OwnerAllocationTest {
    private static final long ALICE = 1;
    private static final long BOB = 2;
    private static final int WARM = 60_000;
    private static final int MEASURED = 100_000;
    /** Alice, and up to 2,000 recipients after her. */
    private static final int USERS = 2_002;
    /**
     * Before JDK 25 the journal makes an empty array of arrays (16 bytes) twice for each record it writes, so that a
     * full disk's fault surfaces inside the journal (MappedFaults); a message writes two records, its ACCEPTED and its
     * ACKNOWLEDGED.
     */
    private static final int JOURNAL_PROBE_BYTES = Runtime.version().feature() >= 25 ? 0 : 2 * 2 * 16;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path directory;

    private final CachedEpochClock clock = new CachedEpochClock();
    private final CountingOutbound out = new CountingOutbound();
    /** By user: the seq its device acknowledged last. */
    private final long[] acked = new long[USERS];

    private Owner owner;

    @Test
    void shouldAllocateNothingPerOneToOneMessageOnceWarm() {
        measure(1, 1);
    }

    /**
     * Tens of thousands of messages unacknowledged at once, as a shard at its capacity holds (a run at 500,000 msgs/s
     * takes about 250 ms from send to recv): their records too come back for the next ones, rather than being dropped
     * and made again.
     */
    @Test
    void shouldAllocateNothingPerOneToOneMessageWithTensOfThousandsUnacknowledged() {
        measure(2_000, 10);
    }

    /**
     * Alice sends to {@code recipients} users in turn, {@code perRecipient} messages to each before they acknowledge
     * what they got; the bytes the owner's thread allocated per message are counted once warm.
     */
    private void measure(int recipients, int perRecipient) {
        clock.update(System.currentTimeMillis());
        CounterSet<ShardCounter> counters = CounterSet.standalone("test", ShardCounter.class);
        try (ChronicleJournal journal = ChronicleJournal.open(directory, RollCycles.FAST_DAILY)) {
            owner = new Owner(
                    TestRules.of(
                            16,
                            100,
                            RouterContext.MAX_UNREAD_PER_USER_DEFAULT,
                            // The owner's unread bound is reached in the warm-up, as a server's is once it has run
                            // a while: below it, the ring of arrivals still grows by doubling.
                            2 * RouterContext.MAX_UNREAD_PER_USER_DEFAULT,
                            Long.MAX_VALUE / 2),
                    new OwnerWiring(
                            user -> 1L << 1,
                            new MemoryMessageStore(1000, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4),
                            out,
                            (senderUser, senderDevice, id, recipient, kind, ts, group) ->
                                    owner.receipt(senderUser, senderDevice, id, recipient, kind, ts, group),
                            clock,
                            counters,
                            journal,
                            SoloPeers.INSTANCE,
                            PushTrigger.NONE));
            owner.recover();
            owner.open(ALICE, 1, connection(ALICE), false);
            for (int i = 0; i < recipients; i++) {
                owner.open(recipient(i), 1, connection(recipient(i)), false);
            }
            // Made before the count starts: the sends stand for frames the I/O loops decode into their own buffers.
            TestSend[] sends = new TestSend[WARM + MEASURED];
            for (int i = 0; i < sends.length; i++) {
                sends[i] = TestSend.from(ALICE, 1, connection(ALICE), i + 1, recipient(i % recipients))
                        .envelope(
                                1,
                                "a hundred-byte body, or near it: "
                                        + "the throughput scenarios send 100 bytes; this one is long enough to show a copy");
            }

            exchange(sends, 0, WARM, recipients, perRecipient);
            long thread = Thread.currentThread().getId();
            long before = THREADS.getThreadAllocatedBytes(thread);
            exchange(sends, WARM, WARM + MEASURED, recipients, perRecipient);
            long allocated = THREADS.getThreadAllocatedBytes(thread) - before;

            assertThat(out.acks).isEqualTo(WARM + MEASURED);
            assertThat(out.msgs).isEqualTo(WARM + MEASURED);
            assertThat(out.deliveredReceipts).isEqualTo(WARM + MEASURED);
            assertThat(out.errors).isZero();
            assertThat(allocated / (double) MEASURED).as("bytes per message").isLessThan(JOURNAL_PROBE_BYTES + 1.0);
        }
    }

    private static long recipient(int i) {
        return BOB + i;
    }

    /** Ten times the user's id, so that a connection names its user. */
    private static long connection(long user) {
        return 10 * user;
    }

    /**
     * Sends in rounds of {@code perRecipient} messages to each recipient, who then acknowledge them (at most the
     * delivery window, so that every message goes out as it is sent).
     */
    private void exchange(TestSend[] sends, int from, int to, int recipients, int perRecipient) {
        int round = recipients * perRecipient;
        for (int start = from; start < to; start += round) {
            int end = Math.min(to, start + round);
            for (int i = start; i < end; i++) {
                owner.send(sends[i]);
            }
            for (int i = 0; i < recipients; i++) {
                long user = recipient(i);
                // Seqs count up per device: each one delivered since the last round is acknowledged, in order.
                for (long seq = acked[(int) user] + 1, last = out.lastSeq[(int) user]; seq <= last; seq++) {
                    owner.recv(user, 1, seq);
                }
                acked[(int) user] = out.lastSeq[(int) user];
            }
        }
    }

    /** Counts what the owner writes, keeping nothing. */
    private static final class CountingOutbound implements Outbound {
        long acks;
        long msgs;
        long deliveredReceipts;
        long errors;
        /** By user: the seq of the last message written to its device. */
        final long[] lastSeq = new long[USERS];

        @Override
        public void ack(long connection, long id, long ts) {
            acks++;
        }

        @Override
        public void msg(long connection, MsgView msg) {
            msgs++;
            lastSeq[(int) (connection / 10)] = msg.seq();
        }

        @Override
        public void receipt(long connection, long id, long toUser, ReceiptKind kind, long ts, long rseq) {
            deliveredReceipts += kind == ReceiptKind.DELIVERED ? 1 : 0;
        }

        @Override
        public void error(
                long connection, ErrorCode code, long id, String message, long missingDevices, long extraDevices) {
            errors++;
        }

        @Override
        public void replaced(long connection) {}

        @Override
        public void revoked(long connection) {}

        @Override
        public void frame(long connection, Frame frame) {}
    }
}
