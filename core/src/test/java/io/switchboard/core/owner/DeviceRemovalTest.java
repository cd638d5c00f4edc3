package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.RouterContext;
import io.switchboard.core.journal.ChronicleJournal;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.RecordingOutbound.Msg;
import io.switchboard.core.owner.RecordingOutbound.Receipt;
import io.switchboard.core.owner.RecordingOutbound.Revoked;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.testing.TestSend;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the owner of a user's state does when one of the user's devices is removed from its account, over a real
 * journal: the session is revoked, the queue and held receipts are dropped and stay dropped across a restart, and a
 * device its account no longer has gets no session and no receipts.
 */
class DeviceRemovalTest {
    private static final long ALICE = 42;
    private static final long BOB = 99;
    private static final long ALICE_CONN = 10;
    private static final long ALICE2_CONN = 12;
    private static final long BOB_CONN = 20;
    private static final long BOB2_CONN = 30;

    @TempDir
    Path directory;

    /** The accounts' device masks, as the account store would have them. */
    private final Map<Long, Long> devices = new HashMap<>();

    private final RecordingOutbound out = new RecordingOutbound();
    private final CachedEpochClock clock = new CachedEpochClock();
    private ChronicleJournal journal;
    private CounterSet<ShardCounter> counters;
    private Owner owner;

    @BeforeEach
    void accounts() {
        clock.update(System.currentTimeMillis());
        devices.put(ALICE, (1L << 1) | (1L << 2));
        devices.put(BOB, (1L << 1) | (1L << 2));
    }

    /** Opens the owner over the journal in {@link #directory}, replaying what it holds: a start, or a restart. */
    private void start() {
        if (journal != null) {
            journal.close();
        }
        journal = ChronicleJournal.open(directory, RollCycles.FIVE_MINUTELY);
        counters = CounterSet.standalone("test", ShardCounter.class);
        owner = new Owner(
                TestRules.of(
                        256, 100, RouterContext.MAX_UNREAD_PER_USER_DEFAULT, Integer.MAX_VALUE / 4, Long.MAX_VALUE / 2),
                new OwnerWiring(
                        user -> devices.getOrDefault(user, 0L),
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
    }

    @AfterEach
    void close() {
        journal.close();
    }

    private void open(long user, int device, long connection) {
        owner.open(user, device, connection, false);
        assertThat(out.takeWelcome(connection)).as("welcome on " + connection).isTrue();
    }

    /** The account store removes the device; then its owner is told. */
    private void remove(long user, int device) {
        devices.put(user, devices.get(user) & ~(1L << device));
        owner.removeDevice(user, device);
    }

    /** Alice's device {@code from} sends message {@code id} to both of Bob's devices. */
    private void toBothOfBobsDevices(int from, long connection, long id) {
        owner.send(TestSend.from(ALICE, from, connection, id, BOB)
                .envelope(1, "m" + id)
                .envelope(2, "m" + id));
    }

    @Test
    void shouldRevokeTheSessionAndDropTheQueueOfARemovedDeviceButNotItsSiblings() {
        start();
        open(ALICE, 1, ALICE_CONN);
        open(BOB, 2, BOB2_CONN);
        toBothOfBobsDevices(1, ALICE_CONN, 1);
        toBothOfBobsDevices(1, ALICE_CONN, 2);
        assertThat(out.take(Msg.class)).hasSize(2);

        remove(BOB, 2);

        assertThat(out.take()).containsExactly(new Revoked(BOB2_CONN));
        assertThat(counters.get(ShardCounter.DEVICES_REMOVED)).isEqualTo(1);
        assertThat(counters.get(ShardCounter.MESSAGES_DROPPED)).isEqualTo(2);
        assertThat(counters.get(ShardCounter.MESSAGES_QUEUED))
                .as("device 1's copies")
                .isEqualTo(2);
        open(BOB, 1, BOB_CONN);
        assertThat(out.take(Msg.class)).extracting(Msg::id).containsExactly(1L, 2L);
        owner.recv(BOB, 1, 1);
        assertThat(out.take())
                .as("device 1 is now the only one the message waits for")
                .containsExactly(new Receipt(ALICE_CONN, 1, BOB, ReceiptKind.DELIVERED, clock.time(), 0));
    }

    @Test
    void shouldSendTheDeliveredReceiptThatTheRemovedDeviceHeldBack() {
        start();
        open(ALICE, 1, ALICE_CONN);
        open(BOB, 1, BOB_CONN);
        toBothOfBobsDevices(1, ALICE_CONN, 7);
        owner.recv(BOB, 1, out.take(Msg.class).get(0).seq());
        assertThat(out.take()).isEmpty();

        remove(BOB, 2);

        assertThat(out.take()).containsExactly(new Receipt(ALICE_CONN, 7, BOB, ReceiptKind.DELIVERED, clock.time(), 0));
    }

    @Test
    void shouldGiveNoSessionToADeviceItsAccountNoLongerHas() {
        start();
        remove(BOB, 2);

        owner.open(BOB, 2, BOB2_CONN, false);

        assertThat(out.take()).containsExactly(new Revoked(BOB2_CONN));
        toBothOfBobsDevices(1, ALICE_CONN, 1);
        assertThat(out.take()).singleElement().isInstanceOf(RecordingOutbound.Error.class);
    }

    @Test
    void shouldDropTheReceiptsHeldForARemovedDeviceAndThoseThatComeLater() {
        start();
        open(ALICE, 2, ALICE2_CONN);
        open(BOB, 1, BOB_CONN);
        open(BOB, 2, BOB2_CONN);
        toBothOfBobsDevices(2, ALICE2_CONN, 1);
        toBothOfBobsDevices(2, ALICE2_CONN, 2);
        owner.close(ALICE, 2, ALICE2_CONN);
        for (Msg msg : out.take(Msg.class)) {
            owner.recv(BOB, msg.connection() == BOB_CONN ? 1 : 2, msg.seq());
        }
        assertThat(counters.get(ShardCounter.RECEIPTS_PENDING))
                .as("two delivered, for the offline sender")
                .isEqualTo(2);

        remove(ALICE, 2);
        owner.read(BOB, ALICE, 2, 1);

        assertThat(counters.get(ShardCounter.RECEIPTS_PENDING)).isZero();
        assertThat(counters.get(ShardCounter.RECEIPTS_DROPPED)).isEqualTo(3);
        start();
        assertThat(counters.get(ShardCounter.RECEIPTS_PENDING))
                .as("after a restart")
                .isZero();
    }

    @Test
    void shouldKeepARemovedDevicesQueueDroppedAcrossARestartEvenIfItIsLinkedAgain() {
        start();
        toBothOfBobsDevices(1, ALICE_CONN, 1);
        remove(BOB, 2);
        out.take();

        linkBobsSecondDeviceAgainAndRestart();

        assertThat(counters.get(ShardCounter.MESSAGES_QUEUED))
                .as("device 1's copy only")
                .isEqualTo(1);
    }

    @Test
    void shouldDropAtStartWhatIsQueuedForADeviceRemovedWhileTheOwnerWasNotTold() {
        start();
        toBothOfBobsDevices(1, ALICE_CONN, 1);
        toBothOfBobsDevices(1, ALICE_CONN, 2);
        out.take();

        devices.put(BOB, 1L << 1);
        start();

        assertThat(counters.get(ShardCounter.MESSAGES_DROPPED)).isEqualTo(2);
        assertThat(counters.get(ShardCounter.MESSAGES_QUEUED)).isEqualTo(2);
        linkBobsSecondDeviceAgainAndRestart();
        assertThat(counters.get(ShardCounter.MESSAGES_QUEUED))
                .as("the drop was journaled")
                .isEqualTo(2);
    }

    /** A new device takes the number again, the server restarts, and it gets nothing its predecessor had queued. */
    private void linkBobsSecondDeviceAgainAndRestart() {
        devices.put(BOB, (1L << 1) | (1L << 2));
        start();
        open(BOB, 2, BOB2_CONN);
        assertThat(out.take()).isEmpty();
    }
}
