package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.RouterContext;
import io.switchboard.core.journal.ChronicleJournal;
import io.switchboard.core.journal.RecordingReplay;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.testing.TestSend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session table over a real Chronicle journal with a clock the test moves: roll cycles are deleted once everything
 * in them is acknowledged, and messages past the retention are dropped, at run time and on replay.
 */
class SessionJournalTest {
    private static final long ALICE = 1;
    private static final long BOB = 2;
    private static final long RETENTION_MS = TimeUnit.DAYS.toMillis(1);
    private static final long START_MS = 1_795_000_000_000L - (1_795_000_000_000L % TimeUnit.MINUTES.toMillis(5));

    @TempDir
    Path directory;

    private final SetTimeProvider time = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(START_MS));
    private final CachedEpochClock clock = new CachedEpochClock();
    private final RecordingOutbound out = new RecordingOutbound();
    private ChronicleJournal journal;
    private CounterSet<ShardCounter> counters;
    private Owner table;
    /** "user/device" of each push the owner handed on; Bob's device 1 is registered, no other. */
    private final List<String> pushes = new ArrayList<>();
    /** Whether the push dispatcher's queue takes the next push. */
    private boolean pushQueueHasRoom = true;

    private final PushTrigger push = new PushTrigger() {
        @Override
        public boolean registered(long user, int device) {
            return user == BOB && device == 1;
        }

        @Override
        public boolean offer(long user, int device) {
            if (pushQueueHasRoom) {
                pushes.add(user + "/" + device);
            }
            return pushQueueHasRoom;
        }
    };
    /** The owner's unread budget, in entries, for the next {@link #open}. */
    private int maxUnreadPerOwner = Integer.MAX_VALUE / 4;

    private Owner open() {
        journal = ChronicleJournal.open(directory, RollCycles.FIVE_MINUTELY, time);
        counters = CounterSet.standalone("test", ShardCounter.class);
        table = new Owner(
                TestRules.of(16, 100, RouterContext.MAX_UNREAD_PER_USER_DEFAULT, maxUnreadPerOwner, RETENTION_MS),
                new OwnerWiring(
                        user -> 1L << 1,
                        new MemoryMessageStore(1000, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4),
                        out,
                        (senderUser, senderDevice, id, recipient, kind, ts, group) ->
                                table.receipt(senderUser, senderDevice, id, recipient, kind, ts, group),
                        clock,
                        counters,
                        journal,
                        SoloPeers.INSTANCE,
                        push));
        table.recover();
        return table;
    }

    @AfterEach
    void close() {
        journal.close();
    }

    private void at(long ms) {
        clock.update(ms);
        time.currentTimeMillis(ms);
    }

    private void send(long id) {
        table.send(TestSend.from(ALICE, 1, 7, id, BOB).envelope(1, "m" + id));
    }

    /** The ids of the read receipts written since the last take. */
    private List<Long> readReceipts() {
        return out.take(RecordingOutbound.Receipt.class).stream()
                .filter(receipt -> receipt.kind() == ReceiptKind.READ)
                .map(RecordingOutbound.Receipt::id)
                .toList();
    }

    private List<Path> cycleFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".cq4"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void shouldDeleteOldCyclesOnceEverythingInThemIsAcknowledged() throws IOException {
        at(START_MS);
        open();
        send(1);
        send(2);
        at(START_MS + TimeUnit.MINUTES.toMillis(6));
        send(3);
        at(START_MS + TimeUnit.MINUTES.toMillis(12));
        send(4);
        assertThat(cycleFiles()).hasSize(3);

        table.recv(BOB, 1, 1);
        table.housekeeping();
        assertThat(cycleFiles()).as("cycle 1 still holds message 2").hasSize(3);
        table.recv(BOB, 1, 2);
        assertThat(cycleFiles())
                .as("Bob has not read 1 and 2: cycle 1 holds them until the housekeeping writes them again")
                .hasSize(3);
        table.housekeeping();
        assertThat(cycleFiles()).as("cycle 1 fully acknowledged").hasSize(2);
        table.recv(BOB, 1, 4);
        table.housekeeping();
        assertThat(cycleFiles())
                .as("cycle 2 still holds message 3; cycle 3 is being written")
                .hasSize(2);
        table.recv(BOB, 1, 3);
        table.housekeeping();
        assertThat(cycleFiles()).as("only the cycle being written is left").hasSize(1);
        assertThat(journal.deletedFiles()).isEqualTo(2);
    }

    @Test
    void shouldKeepUnacknowledgedMessagesAcrossCyclesAndRestarts() {
        at(START_MS);
        open();
        send(1);
        at(START_MS + TimeUnit.MINUTES.toMillis(6));
        send(2);
        table.recv(BOB, 1, 2);
        journal.close();

        at(START_MS + TimeUnit.MINUTES.toMillis(7));
        open();
        assertThat(counters.get(ShardCounter.MESSAGES_QUEUED)).isEqualTo(1);
        out.take();
        table.open(BOB, 1, 9, false);
        List<RecordingOutbound.Msg> delivered = out.take(RecordingOutbound.Msg.class);
        assertThat(delivered).extracting(RecordingOutbound.Msg::id).containsExactly(1L);
        table.send(TestSend.from(ALICE, 1, 7, 2, BOB).envelope(1, "m2"));
        assertThat(out.take(RecordingOutbound.Msg.class))
                .as("id 2 was accepted before the restart")
                .isEmpty();
    }

    /**
     * A phone in the background that messages wait for when the server stops is pushed by the restarted server, not
     * only when a new message comes (protocol-notes, Push): once, and again only after a session. A push the full
     * dispatcher queue refused is tried again by the housekeeping.
     */
    @Test
    void shouldPushAfterARestartTheDevicesThatMessagesWaitFor() {
        at(START_MS);
        open();
        send(1);
        send(2);
        assertThat(pushes).as("the first message pushes, the second collapses").containsExactly(BOB + "/1");
        journal.close();

        pushes.clear();
        pushQueueHasRoom = false;
        open();
        assertThat(pushes).isEmpty();
        assertThat(counters.get(ShardCounter.PUSH_DROPPED)).isEqualTo(1);
        pushQueueHasRoom = true;
        table.housekeeping();
        assertThat(pushes).as("tried again by the housekeeping").containsExactly(BOB + "/1");
        table.housekeeping();
        assertThat(pushes).as("pushed once while it stays offline").containsExactly(BOB + "/1");
        assertThat(counters.get(ShardCounter.PUSH_COLLAPSED))
                .as("a housekeeping is not a message")
                .isZero();

        table.open(BOB, 1, 9, false);
        List<RecordingOutbound.Msg> delivered = out.take(RecordingOutbound.Msg.class);
        assertThat(delivered).extracting(RecordingOutbound.Msg::id).containsExactly(1L, 2L);
        table.recv(BOB, 1, 1);
        table.recv(BOB, 1, 2);
        table.close(BOB, 1, 9);
        pushes.clear();
        table.housekeeping();
        assertThat(pushes).as("nothing waits: no push").isEmpty();
    }

    /**
     * With acknowledgements written in batches (as sharded routing writes them), those the housekeeping makes for the
     * messages it expires are in the journal when it ends, not held until the owner next has work.
     */
    @Test
    void shouldHaveWrittenTheHousekeepingsAcknowledgementsWhenItEnds() {
        at(START_MS);
        open();
        journal.acknowledgeInBatches();
        send(1);
        at(START_MS + 2 * RETENTION_MS);

        table.housekeeping();

        assertThat(counters.get(ShardCounter.MESSAGES_EXPIRED)).isEqualTo(1);
        ChronicleJournal reader = ChronicleJournal.open(directory, RollCycles.FIVE_MINUTELY, time);
        try {
            assertThat(RecordingReplay.replayed(reader)).contains("acknowledged 2/1 seq 1");
        } finally {
            reader.close();
        }
    }

    @Test
    void shouldDropMessagesPastTheRetentionAtRunTime() {
        at(START_MS);
        open();
        send(1);
        at(START_MS + 2 * RETENTION_MS);
        send(2);
        table.housekeeping();
        assertThat(counters.get(ShardCounter.MESSAGES_EXPIRED)).isEqualTo(1);
        assertThat(counters.get(ShardCounter.MESSAGES_QUEUED)).isEqualTo(1);
        journal.close();

        open();
        assertThat(counters.get(ShardCounter.MESSAGES_QUEUED))
                .as("the expiry was journaled")
                .isEqualTo(1);
    }

    @Test
    void shouldDropMessagesPastTheRetentionOnReplay() {
        at(START_MS);
        open();
        send(1);
        send(2);
        journal.close();

        at(START_MS + 2 * RETENTION_MS);
        open();
        assertThat(counters.get(ShardCounter.MESSAGES_EXPIRED)).isEqualTo(2);
        assertThat(counters.get(ShardCounter.MESSAGES_QUEUED)).isZero();
        table.open(BOB, 1, 9, false);
        assertThat(out.take(RecordingOutbound.Msg.class)).isEmpty();
    }

    @Test
    void shouldKeepTheReceiptsAClosedSessionDidNotAcknowledgeAcrossARestart() {
        at(START_MS);
        open();
        table.open(ALICE, 1, 7, true);
        send(1);
        send(2);
        table.open(BOB, 1, 9, false);
        table.recv(BOB, 1, 1);
        table.recv(BOB, 1, 2);
        List<RecordingOutbound.Receipt> receipts = out.take(RecordingOutbound.Receipt.class);
        assertThat(receipts).extracting(RecordingOutbound.Receipt::id).containsExactly(1L, 2L);
        table.receiptAck(ALICE, 1, receipts.get(0).rseq());
        table.close(ALICE, 1, 7);
        journal.close();

        at(START_MS + 1);
        open();
        out.take();
        table.open(ALICE, 1, 8, true);
        List<RecordingOutbound.Receipt> again = out.take(RecordingOutbound.Receipt.class);
        assertThat(again)
                .as("the unacknowledged receipt was journaled when its session closed")
                .extracting(RecordingOutbound.Receipt::id)
                .containsExactly(2L);
        assertThat(again.get(0).rseq())
                .as("rseqs keep increasing across the restart")
                .isGreaterThan(receipts.get(1).rseq());
        table.receiptAck(ALICE, 1, again.get(0).rseq());
        table.close(ALICE, 1, 8);
        journal.close();

        open();
        table.open(ALICE, 1, 9, true);
        assertThat(out.take(RecordingOutbound.Receipt.class))
                .as("acknowledged after the restart")
                .isEmpty();
    }

    @Test
    void shouldJournalTheReceiptsOfSessionsStillOpenAtShutdown() {
        at(START_MS);
        open();
        table.open(ALICE, 1, 7, true);
        send(1);
        table.open(BOB, 1, 9, false);
        table.recv(BOB, 1, 1);
        assertThat(out.take(RecordingOutbound.Receipt.class)).hasSize(1);
        table.journalHeldReceipts();
        journal.close();

        at(START_MS + 1);
        open();
        out.take();
        table.open(ALICE, 1, 8, true);
        assertThat(out.take(RecordingOutbound.Receipt.class))
                .as("sent before the shutdown, never acknowledged")
                .extracting(RecordingOutbound.Receipt::id)
                .containsExactly(1L);
    }

    @Test
    void shouldCountAReadOnlyForWhatWasDeliveredAndNotYetReadAcrossARestart() {
        at(START_MS);
        open();
        table.open(ALICE, 1, 7, false);
        send(1);
        send(2);
        send(3);
        table.open(BOB, 1, 9, false);
        table.recv(BOB, 1, 1);
        table.recv(BOB, 1, 2);
        table.read(BOB, ALICE, 1, 1);
        assertThat(readReceipts()).containsExactly(1L);
        journal.close();

        at(START_MS + 1);
        open();
        out.take();
        table.open(ALICE, 1, 7, false);
        table.read(BOB, ALICE, 1, 1);
        table.read(BOB, ALICE, 1, 2);
        table.read(BOB, ALICE, 1, 3);
        table.read(BOB, ALICE, 1, 4);
        assertThat(readReceipts())
                .as("1 was read before the restart, 3 waits for its delivery again, 4 was never sent")
                .containsExactly(2L);
        table.open(BOB, 1, 10, false);
        table.read(BOB, ALICE, 1, 3);
        assertThat(readReceipts()).containsExactly(3L);
        assertThat(counters.get(ShardCounter.MESSAGES_UNREAD)).isZero();
    }

    @Test
    void shouldCountAReadOnceForAMessageDeliveredAgainAfterARestartThatKeptItsUnreadState() {
        at(START_MS);
        open();
        table.open(ALICE, 1, 7, false);
        table.open(BOB, 1, 9, false);
        send(1); // written to Bob's session, never acknowledged
        at(START_MS + TimeUnit.MINUTES.toMillis(6));
        table.housekeeping(); // its unread state written again (UNREAD) in the cycle being written
        journal.close();

        open();
        out.take();
        table.open(ALICE, 1, 7, false);
        table.open(BOB, 1, 10, false); // delivered again: at-least-once
        assertThat(out.take(RecordingOutbound.Msg.class)).hasSize(1);
        table.read(BOB, ALICE, 1, 1);
        table.read(BOB, ALICE, 1, 1);

        assertThat(readReceipts())
                .as("one unread entry, not one from the replay and one from the delivery")
                .containsExactly(1L);
        assertThat(counters.get(ShardCounter.MESSAGES_UNREAD)).isZero();
    }

    @Test
    void shouldKeepAnUnreadMessageAcrossARestartOnceItsMessagesCycleIsDeleted() throws IOException {
        at(START_MS);
        open();
        table.open(ALICE, 1, 7, false);
        send(1);
        table.open(BOB, 1, 9, false);
        table.recv(BOB, 1, 1);
        at(START_MS + TimeUnit.MINUTES.toMillis(6));
        table.housekeeping();
        assertThat(cycleFiles())
                .as("the message's cycle went: its unread state was written again in the cycle being written")
                .hasSize(1);
        assertThat(journal.deletedFiles()).isEqualTo(1);
        journal.close();

        open();
        out.take();
        table.open(ALICE, 1, 7, false);
        table.read(BOB, ALICE, 1, 1);
        assertThat(readReceipts()).containsExactly(1L);
        journal.close();

        open();
        table.open(ALICE, 1, 7, false);
        table.read(BOB, ALICE, 1, 1);
        assertThat(readReceipts()).as("a read counts once, across restarts too").isEmpty();
    }

    @Test
    void shouldKeepTheOwnersUnreadBudgetOnReplayAndReleaseTheCyclesOfWhatItForgets() throws IOException {
        at(START_MS);
        open();
        // Online, so that no delivered receipt waits for it in the first cycle.
        table.open(ALICE, 1, 7, false);
        table.open(BOB, 1, 9, false);
        send(1);
        send(2);
        table.recv(BOB, 1, 1);
        table.recv(BOB, 1, 2);
        at(START_MS + TimeUnit.MINUTES.toMillis(6));
        for (long id = 3; id <= 5; id++) {
            send(id);
            table.recv(BOB, 1, id);
        }
        assertThat(counters.get(ShardCounter.MESSAGES_UNREAD)).isEqualTo(5);
        assertThat(cycleFiles()).as("the first cycle holds 1 and 2, unread").hasSize(2);
        journal.close();

        maxUnreadPerOwner = 3;
        at(START_MS + TimeUnit.MINUTES.toMillis(7));
        open();
        assertThat(counters.get(ShardCounter.MESSAGES_UNREAD)).isEqualTo(3);
        assertThat(counters.get(ShardCounter.UNREAD_DROPPED)).isEqualTo(2);
        journal.deleteExpired();
        assertThat(cycleFiles())
                .as("1 and 2 were forgotten as the replay met the budget: nothing holds their cycle")
                .hasSize(1);
        out.take();
        table.open(ALICE, 1, 7, false);
        for (long id = 1; id <= 5; id++) {
            table.read(BOB, ALICE, 1, id);
        }
        assertThat(readReceipts()).containsExactly(3L, 4L, 5L);
    }

    @Test
    void shouldForgetHeldReceiptsAndUnreadMessagesPastTheRetentionAndDeleteTheirCycles() {
        at(START_MS);
        open();
        send(1);
        send(2);
        table.open(BOB, 1, 9, false);
        table.recv(BOB, 1, 1);
        assertThat(counters.get(ShardCounter.RECEIPTS_PENDING))
                .as("delivered, for the offline sender")
                .isEqualTo(1);

        at(START_MS + 2 * RETENTION_MS);
        table.housekeeping();

        assertThat(counters.get(ShardCounter.RECEIPTS_EXPIRED)).isEqualTo(1);
        assertThat(counters.get(ShardCounter.RECEIPTS_PENDING)).isZero();
        assertThat(counters.get(ShardCounter.UNREAD_DROPPED)).isEqualTo(2);
        assertThat(counters.get(ShardCounter.MESSAGES_UNREAD)).isZero();
        assertThat(journal.deletedFiles())
                .as("nothing holds the old cycle any more")
                .isEqualTo(1);
        out.take();
        table.open(ALICE, 1, 7, false);
        table.read(BOB, ALICE, 1, 1);
        assertThat(out.take(RecordingOutbound.Receipt.class)).isEmpty();
    }

    @Test
    void shouldDropReceiptsHeldPastTheRetentionOnReplay() {
        at(START_MS);
        open();
        send(1);
        table.open(BOB, 1, 9, false);
        table.recv(BOB, 1, 1);
        journal.close();

        at(START_MS + 2 * RETENTION_MS);
        open();
        assertThat(counters.get(ShardCounter.RECEIPTS_EXPIRED)).isEqualTo(1);
        assertThat(counters.get(ShardCounter.RECEIPTS_PENDING)).isZero();
        out.take();
        table.open(ALICE, 1, 7, false);
        assertThat(out.take(RecordingOutbound.Receipt.class)).isEmpty();
    }
}
