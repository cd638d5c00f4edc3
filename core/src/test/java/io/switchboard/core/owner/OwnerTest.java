package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.RouterContext;
import io.switchboard.core.journal.NoJournal;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.RecordingOutbound.Ack;
import io.switchboard.core.owner.RecordingOutbound.Error;
import io.switchboard.core.owner.RecordingOutbound.Msg;
import io.switchboard.core.owner.RecordingOutbound.Other;
import io.switchboard.core.owner.RecordingOutbound.Receipt;
import io.switchboard.core.owner.RecordingOutbound.Replaced;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.testing.TestSend;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OwnerTest {
    private static final long ALICE = 42;
    private static final long BOB = 99;
    private static final long CAROL = 7;
    private static final long UNKNOWN = 1234;

    private static final long ALICE_CONN = 10;
    private static final long ALICE_CONN_2 = 11;
    private static final long ALICE2_CONN = 12;
    private static final long BOB_CONN = 20;
    private static final long BOB_CONN_2 = 21;
    private static final long BOB2_CONN = 30;

    private static final int WINDOW = 256;
    private static final int MAX_QUEUED = 1000;
    private static final int MAX_PENDING_RECEIPTS = 100;

    private final Map<Long, Long> devices = new HashMap<>();
    private final RecordingOutbound out = new RecordingOutbound();
    private final CachedEpochClock clock = new CachedEpochClock();
    private Owner table;
    private final CounterSet<ShardCounter> counters = CounterSet.standalone("test", ShardCounter.class);

    @BeforeEach
    void registerUsers() {
        clock.update(1_000);
        devices.put(ALICE, bits(1, 2));
        devices.put(BOB, bits(1));
        devices.put(CAROL, bits(1));
    }

    private static long bits(int... deviceIds) {
        long mask = 0;
        for (int device : deviceIds) {
            mask |= 1L << device;
        }
        return mask;
    }

    /** A table whose receipts loop back into itself, as if every user were owned by this one table. */
    private Owner table(int deliveryWindow, int maxQueuedPerDevice, int maxPendingReceipts) {
        return table(deliveryWindow, maxQueuedPerDevice, maxPendingReceipts, RouterContext.MAX_UNREAD_PER_USER_DEFAULT);
    }

    private Owner table(int deliveryWindow, int maxQueuedPerDevice, int maxPendingReceipts, int maxUnreadPerUser) {
        return table(deliveryWindow, maxQueuedPerDevice, maxPendingReceipts, maxUnreadPerUser, Integer.MAX_VALUE / 4);
    }

    private Owner table(
            int deliveryWindow,
            int maxQueuedPerDevice,
            int maxPendingReceipts,
            int maxUnreadPerUser,
            int maxUnreadPerOwner) {
        table = new Owner(
                TestRules.of(
                        deliveryWindow, maxPendingReceipts, maxUnreadPerUser, maxUnreadPerOwner, Long.MAX_VALUE / 2),
                new OwnerWiring(
                        user -> devices.getOrDefault(user, 0L),
                        new MemoryMessageStore(
                                maxQueuedPerDevice, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4),
                        out,
                        (senderUser, senderDevice, id, recipientUser, kind, ts, group) ->
                                table.receipt(senderUser, senderDevice, id, recipientUser, kind, ts, group),
                        clock,
                        counters,
                        NoJournal.INSTANCE,
                        SoloPeers.INSTANCE,
                        PushTrigger.NONE));
        return table;
    }

    /** Opens a session and takes the welcome that every open answers first. */
    private void open(long user, int device, long connection) {
        table.open(user, device, connection, false);
        assertThat(out.takeWelcome(connection)).as("welcome on " + connection).isTrue();
    }

    /** Opens a session that asks for acknowledged receipts, and takes its welcome. */
    private void openWithReceiptAcks(long user, int device, long connection) {
        table.open(user, device, connection, true);
        assertThat(out.takeWelcome(connection)).as("welcome on " + connection).isTrue();
    }

    private Owner table() {
        return table(WINDOW, MAX_QUEUED, MAX_PENDING_RECEIPTS);
    }

    /** Alice's device 1, on {@link #ALICE_CONN}, sends message {@code id} to Bob's device 1. */
    private static TestSend toBob(long id) {
        return TestSend.from(ALICE, 1, ALICE_CONN, id, BOB).envelope(1, "m" + id);
    }

    /**
     * A read receipt from {@code reader} for message {@code id} of Alice's device, as the reader's owner passes on a
     * read that counts.
     */
    private void readReceipt(long reader, int aliceDevice, long id) {
        table.receipt(ALICE, aliceDevice, id, reader, ReceiptKind.READ, clock.time(), false);
    }

    private static List<Long> seqs(List<Msg> msgs) {
        return msgs.stream().map(Msg::seq).toList();
    }

    private static List<Long> ids(List<Msg> msgs) {
        return msgs.stream().map(Msg::id).toList();
    }

    @Test
    void shouldAckThenDeliverWithConsecutiveSeqsToAnOnlineDevice() {
        table();
        open(ALICE, 1, ALICE_CONN);
        open(BOB, 1, BOB_CONN);
        assertThat(out.take()).isEmpty();

        for (long id = 7; id <= 9; id++) {
            clock.update(2_000 + id);
            table.send(toBob(id));
        }

        assertThat(out.take())
                .containsExactly(
                        new Ack(ALICE_CONN, 7, 2_007),
                        new Msg(BOB_CONN, 1, 7, ALICE, 1, EnvelopeType.MSG, "m7", null, 0, 2_007),
                        new Ack(ALICE_CONN, 8, 2_008),
                        new Msg(BOB_CONN, 2, 8, ALICE, 1, EnvelopeType.MSG, "m8", null, 0, 2_008),
                        new Ack(ALICE_CONN, 9, 2_009),
                        new Msg(BOB_CONN, 3, 9, ALICE, 1, EnvelopeType.MSG, "m9", null, 0, 2_009));
        assertThat(counters.get(ShardCounter.SESSIONS_OPENED)).isEqualTo(2);
        assertThat(counters.get(ShardCounter.MESSAGES_ACCEPTED)).isEqualTo(3);
        assertThat(counters.get(ShardCounter.MESSAGES_DELIVERED)).isEqualTo(3);
        assertThat(counters.get(ShardCounter.MESSAGES_QUEUED))
                .as("queued until recv")
                .isEqualTo(3);
    }

    @Test
    void shouldGiveEachDeviceItsOwnEnvelopeTypeBodyAndSeqWithTheSharedMedia() {
        devices.put(BOB, bits(1, 2));
        table();
        open(BOB, 2, BOB2_CONN);
        table.send(TestSend.from(ALICE, 1, ALICE_CONN, 5, BOB)
                .envelope(1, "for one")
                .media("photo-1", 1_234)
                .envelope(2, EnvelopeType.PKMSG, "for two"));
        table.send(TestSend.from(ALICE, 1, ALICE_CONN, 6, BOB)
                .envelope(2, "second")
                .envelope(1, "second"));
        out.take();

        open(BOB, 1, BOB_CONN);

        assertThat(out.take())
                .containsExactly(
                        new Msg(BOB_CONN, 1, 5, ALICE, 1, EnvelopeType.MSG, "for one", "photo-1", 1_234, 1_000),
                        new Msg(BOB_CONN, 2, 6, ALICE, 1, EnvelopeType.MSG, "second", null, 0, 1_000));
        table.close(BOB, 2, BOB2_CONN);
        open(BOB, 2, BOB2_CONN);
        assertThat(out.take())
                .containsExactly(
                        new Msg(BOB2_CONN, 1, 5, ALICE, 1, EnvelopeType.PKMSG, "for two", "photo-1", 1_234, 1_000),
                        new Msg(BOB2_CONN, 2, 6, ALICE, 1, EnvelopeType.MSG, "second", null, 0, 1_000));
    }

    @Test
    void shouldQueueForAnOfflineDeviceAndDeliverOnOpen() {
        table();
        table.send(toBob(1));
        table.send(toBob(2));

        assertThat(out.take()).containsExactly(new Ack(ALICE_CONN, 1, 1_000), new Ack(ALICE_CONN, 2, 1_000));

        open(BOB, 1, BOB_CONN);

        List<Msg> msgs = out.take(Msg.class);
        assertThat(seqs(msgs)).containsExactly(1L, 2L);
        assertThat(ids(msgs)).containsExactly(1L, 2L);
        assertThat(msgs).allSatisfy(msg -> assertThat(msg.connection()).isEqualTo(BOB_CONN));
    }

    @Test
    void shouldDeliverOnlyTheWindowAheadOfTheOldestUnacknowledgedUntilRecvReleasesMore() {
        table(2, MAX_QUEUED, MAX_PENDING_RECEIPTS);
        for (long id = 1; id <= 5; id++) {
            table.send(toBob(id));
        }
        out.take();

        open(BOB, 1, BOB_CONN);
        assertThat(seqs(out.take(Msg.class))).containsExactly(1L, 2L);

        table.recv(BOB, 1, 1);
        assertThat(seqs(out.take(Msg.class))).containsExactly(3L);

        table.recv(BOB, 1, 2);
        assertThat(seqs(out.take(Msg.class))).containsExactly(4L);

        table.recv(BOB, 1, 3);
        assertThat(seqs(out.take(Msg.class))).containsExactly(5L);

        table.recv(BOB, 1, 4);
        table.recv(BOB, 1, 5);
        assertThat(out.take(Msg.class)).isEmpty();
    }

    @Test
    void shouldHoldBackSendsBeyondTheWindowWhileTheRecipientIsOnline() {
        table(2, MAX_QUEUED, MAX_PENDING_RECEIPTS);
        open(BOB, 1, BOB_CONN);

        table.send(toBob(1));
        table.send(toBob(2));
        table.send(toBob(3));

        assertThat(out.take())
                .containsExactly(
                        new Ack(ALICE_CONN, 1, 1_000),
                        new Msg(BOB_CONN, 1, 1, ALICE, 1, EnvelopeType.MSG, "m1", null, 0, 1_000),
                        new Ack(ALICE_CONN, 2, 1_000),
                        new Msg(BOB_CONN, 2, 2, ALICE, 1, EnvelopeType.MSG, "m2", null, 0, 1_000),
                        new Ack(ALICE_CONN, 3, 1_000));

        table.recv(BOB, 1, 1);
        assertThat(seqs(out.take(Msg.class))).containsExactly(3L);
    }

    @Test
    void shouldRedeliverFromTheOldestUnacknowledgedSeqOnANewSession() {
        table();
        open(BOB, 1, BOB_CONN);
        for (long id = 1; id <= 3; id++) {
            table.send(toBob(id));
        }
        assertThat(seqs(out.take(Msg.class))).containsExactly(1L, 2L, 3L);

        table.recv(BOB, 1, 1);
        table.close(BOB, 1, BOB_CONN);
        open(BOB, 1, BOB_CONN_2);

        List<Msg> redelivered = out.take(Msg.class);
        assertThat(seqs(redelivered)).containsExactly(2L, 3L);
        assertThat(ids(redelivered)).containsExactly(2L, 3L);
        assertThat(redelivered).allSatisfy(msg -> assertThat(msg.connection()).isEqualTo(BOB_CONN_2));
    }

    @Test
    void shouldSendReplacedToTheOlderConnectionAndServeTheNewOne() {
        table();
        open(BOB, 1, BOB_CONN);
        table.send(toBob(1));
        out.take();

        open(BOB, 1, BOB_CONN_2);

        assertThat(out.take())
                .containsExactly(
                        new Replaced(BOB_CONN),
                        new Msg(BOB_CONN_2, 1, 1, ALICE, 1, EnvelopeType.MSG, "m1", null, 0, 1_000));
        table.send(toBob(2));
        assertThat(out.take(Msg.class))
                .singleElement()
                .satisfies(msg -> assertThat(msg.connection()).isEqualTo(BOB_CONN_2));
        assertThat(counters.get(ShardCounter.SESSIONS_REPLACED)).isEqualTo(1);
    }

    @Test
    void shouldNotSendReplacedWhenTheSameConnectionOpensAgain() {
        table();
        open(BOB, 1, BOB_CONN);

        open(BOB, 1, BOB_CONN);

        assertThat(out.take(Replaced.class)).isEmpty();
    }

    @Test
    void shouldKeepTheNewSessionOnlineWhenTheReplacedConnectionCloses() {
        table();
        open(BOB, 1, BOB_CONN);
        open(BOB, 1, BOB_CONN_2);
        table.close(BOB, 1, BOB_CONN);
        out.take();

        table.send(toBob(1));

        assertThat(out.take(Msg.class))
                .singleElement()
                .satisfies(msg -> assertThat(msg.connection()).isEqualTo(BOB_CONN_2));

        table.close(BOB, 1, BOB_CONN_2);
        table.send(toBob(2));
        assertThat(out.take()).containsExactly(new Ack(ALICE_CONN, 2, 1_000));
    }

    /** A repeat is acked again and not queued; a lower id never accepted (a refused send sent again) is new. */
    @Test
    void shouldAckARepeatedIdAgainWithoutQueuingItButTakeALowerIdNeverAcceptedAsNew() {
        table();
        open(BOB, 1, BOB_CONN);
        table.send(toBob(7));
        out.take();
        table.close(BOB, 1, BOB_CONN);

        clock.update(5_000);
        table.send(TestSend.from(ALICE, 1, ALICE_CONN_2, 7, BOB).envelope(1, "again"));
        table.send(TestSend.from(ALICE, 1, ALICE_CONN_2, 6, BOB).envelope(1, "older"));
        table.send(TestSend.from(ALICE, 1, ALICE_CONN_2, 6, BOB).envelope(1, "older again"));

        assertThat(out.take())
                .containsExactly(
                        new Ack(ALICE_CONN_2, 7, 5_000),
                        new Ack(ALICE_CONN_2, 6, 5_000),
                        new Ack(ALICE_CONN_2, 6, 5_000));
        assertThat(counters.get(ShardCounter.MESSAGES_DUPLICATE)).isEqualTo(2);
        assertThat(counters.get(ShardCounter.MESSAGES_ACCEPTED)).isEqualTo(2);
        open(BOB, 1, BOB_CONN_2);
        assertThat(ids(out.take(Msg.class))).containsExactly(7L, 6L);
    }

    @Test
    void shouldTrackRepeatedIdsPerSendingDevice() {
        table();
        open(BOB, 1, BOB_CONN);
        table.send(toBob(7));

        table.send(TestSend.from(ALICE, 2, ALICE2_CONN, 7, BOB).envelope(1, "from alice 2"));
        table.send(TestSend.from(CAROL, 1, 50, 7, BOB).envelope(1, "from carol"));

        List<Msg> msgs = out.take(Msg.class);
        assertThat(msgs).extracting(Msg::body).containsExactly("m7", "from alice 2", "from carol");
        assertThat(seqs(msgs)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void shouldRejectAnUnknownRecipientNamingTheIdAndStoreNothing() {
        table();

        table.send(TestSend.from(ALICE, 1, ALICE_CONN, 7, UNKNOWN).envelope(1, "hello?"));

        assertThat(out.take()).singleElement().isInstanceOfSatisfying(Error.class, error -> {
            assertThat(error.connection()).isEqualTo(ALICE_CONN);
            assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT);
            assertThat(error.id()).isEqualTo(7);
        });
        assertThat(counters.get(ShardCounter.MESSAGES_REJECTED)).isEqualTo(1);
        assertThat(counters.get(ShardCounter.MESSAGES_ACCEPTED)).isZero();

        devices.put(UNKNOWN, bits(1));
        table.send(TestSend.from(ALICE, 1, ALICE_CONN, 7, UNKNOWN).envelope(1, "hello"));
        assertThat(out.take()).containsExactly(new Ack(ALICE_CONN, 7, 1_000));
    }

    @Test
    void shouldRejectADeviceMismatchWithMissingAndExtraMasks() {
        devices.put(BOB, bits(1, 2, 4));
        table();

        table.send(TestSend.from(ALICE, 1, ALICE_CONN, 7, BOB)
                .envelope(1, "a")
                .envelope(3, "b")
                .envelope(5, "c"));

        assertThat(out.take()).singleElement().isInstanceOfSatisfying(Error.class, error -> {
            assertThat(error.connection()).isEqualTo(ALICE_CONN);
            assertThat(error.code()).isEqualTo(ErrorCode.DEVICES);
            assertThat(error.id()).isEqualTo(7);
            assertThat(error.missing()).isEqualTo(bits(2, 4));
            assertThat(error.extra()).isEqualTo(bits(3, 5));
        });
        open(BOB, 1, BOB_CONN);
        assertThat(out.take()).isEmpty();
    }

    @Test
    void shouldRejectASendThatLeavesOutARegisteredDevice() {
        devices.put(BOB, bits(1, 2));
        table();

        table.send(toBob(7));

        assertThat(out.take()).singleElement().isInstanceOfSatisfying(Error.class, error -> {
            assertThat(error.code()).isEqualTo(ErrorCode.DEVICES);
            assertThat(error.missing()).isEqualTo(bits(2));
            assertThat(error.extra()).isZero();
        });
    }

    @Test
    void shouldRejectTwoEnvelopesForOneDevice() {
        table();

        table.send(TestSend.from(ALICE, 1, ALICE_CONN, 7, BOB).envelope(1, "a").envelope(1, "b"));

        assertThat(out.take()).singleElement().isInstanceOfSatisfying(Error.class, error -> {
            assertThat(error.connection()).isEqualTo(ALICE_CONN);
            assertThat(error.code()).isEqualTo(ErrorCode.DEVICES);
            assertThat(error.id()).isEqualTo(7);
        });
        open(BOB, 1, BOB_CONN);
        assertThat(out.take()).isEmpty();
    }

    @Test
    void shouldRejectWithUnavailableWhenAnyDeviceQueueIsFullAndStoreNothing() {
        devices.put(BOB, bits(1, 2));
        table(WINDOW, 2, MAX_PENDING_RECEIPTS);
        open(BOB, 1, BOB_CONN);
        for (long id = 1; id <= 2; id++) {
            table.send(TestSend.from(ALICE, 1, ALICE_CONN, id, BOB)
                    .envelope(1, "m" + id)
                    .envelope(2, "m" + id));
        }
        table.recv(BOB, 1, 1);
        table.recv(BOB, 1, 2);
        out.take();

        table.send(TestSend.from(ALICE, 1, ALICE_CONN, 3, BOB).envelope(1, "m3").envelope(2, "m3"));

        assertThat(out.take()).singleElement().isInstanceOfSatisfying(Other.class, error -> {
            assertThat(error.connection()).isEqualTo(ALICE_CONN);
            assertThat(error.json())
                    .contains("\"t\":\"error\"", "\"code\":\"unavailable\"", "\"id\":3,", "\"retryAfterMs\":1000");
        });

        open(BOB, 2, BOB2_CONN);
        assertThat(seqs(out.take(Msg.class))).containsExactly(1L, 2L);
        table.recv(BOB, 2, 1);
        out.take();

        table.send(TestSend.from(ALICE, 1, ALICE_CONN, 3, BOB).envelope(1, "m3").envelope(2, "m3"));

        assertThat(out.take())
                .containsExactly(
                        new Ack(ALICE_CONN, 3, 1_000),
                        new Msg(BOB_CONN, 3, 3, ALICE, 1, EnvelopeType.MSG, "m3", null, 0, 1_000),
                        new Msg(BOB2_CONN, 3, 3, ALICE, 1, EnvelopeType.MSG, "m3", null, 0, 1_000));
    }

    @Test
    void shouldAcceptOutOfOrderRecvAndAdvanceTheHeadPastBoth() {
        table(2, MAX_QUEUED, MAX_PENDING_RECEIPTS);
        open(BOB, 1, BOB_CONN);
        for (long id = 1; id <= 3; id++) {
            table.send(toBob(id));
        }
        assertThat(seqs(out.take(Msg.class))).containsExactly(1L, 2L);

        table.recv(BOB, 1, 2);
        assertThat(out.take(Msg.class)).as("seq 1 still pins the window").isEmpty();

        table.recv(BOB, 1, 1);
        assertThat(seqs(out.take(Msg.class))).containsExactly(3L);

        table.close(BOB, 1, BOB_CONN);
        open(BOB, 1, BOB_CONN_2);
        assertThat(seqs(out.take(Msg.class))).containsExactly(3L);
    }

    @Test
    void shouldIgnoreARecvForAnUnknownOrAlreadyAcknowledgedSeq() {
        table();
        open(ALICE, 1, ALICE_CONN);
        open(BOB, 1, BOB_CONN);
        table.send(toBob(1));
        table.recv(BOB, 1, 1);
        out.take();

        table.recv(BOB, 1, 1);
        table.recv(BOB, 1, 99);
        table.recv(BOB, 1, 0);

        assertThat(out.take()).isEmpty();
    }

    @Test
    void shouldSendDeliveredOnlyAfterEveryDeviceOfTheRecipientAcknowledged() {
        devices.put(BOB, bits(1, 2));
        table();
        open(ALICE, 1, ALICE_CONN);
        open(BOB, 1, BOB_CONN);
        open(BOB, 2, BOB2_CONN);
        table.send(TestSend.from(ALICE, 1, ALICE_CONN, 7, BOB).envelope(1, "hi").envelope(2, "hi"));
        out.take();

        table.recv(BOB, 1, 1);
        table.recv(BOB, 1, 1);
        assertThat(out.take(Receipt.class)).isEmpty();

        clock.update(3_000);
        table.recv(BOB, 2, 1);

        assertThat(out.take()).containsExactly(new Receipt(ALICE_CONN, 7, BOB, ReceiptKind.DELIVERED, 3_000, 0));
        assertThat(counters.get(ShardCounter.MESSAGES_ACKNOWLEDGED))
                .as("once per device")
                .isEqualTo(2);
        assertThat(counters.get(ShardCounter.MESSAGES_QUEUED)).isZero();
        assertThat(counters.get(ShardCounter.RECEIPTS_DELIVERED)).isEqualTo(1);
    }

    @Test
    void shouldSendReadReceiptsToTheSendingDevice() {
        table();
        open(ALICE, 1, ALICE_CONN);
        open(ALICE, 2, ALICE2_CONN);
        open(BOB, 1, BOB_CONN);
        table.send(TestSend.from(ALICE, 2, ALICE2_CONN, 9, BOB).envelope(1, "m9"));
        out.take();

        clock.update(4_000);
        table.read(BOB, ALICE, 2, 9);

        assertThat(out.take()).containsExactly(new Receipt(ALICE2_CONN, 9, BOB, ReceiptKind.READ, 4_000, 0));
        assertThat(counters.get(ShardCounter.RECEIPTS_READ)).isEqualTo(1);
    }

    @Test
    void shouldIgnoreReadsOfMessagesNeverDeliveredToTheReaderAndSecondReads() {
        table();
        open(ALICE, 1, ALICE_CONN);
        table.send(toBob(7));
        table.send(TestSend.from(ALICE, 1, ALICE_CONN, 8, CAROL).envelope(1, "m8"));
        open(CAROL, 1, 40);
        out.take();

        table.read(BOB, ALICE, 1, 7);
        table.read(BOB, ALICE, 1, 8);
        table.read(BOB, ALICE, 2, 7);
        table.read(BOB, UNKNOWN, 63, 1);
        assertThat(out.take())
                .as(
                        "7 waits for Bob's device, 8 went to Carol, Alice's device 2 sent nothing, the unknown user neither")
                .isEmpty();
        assertThat(counters.get(ShardCounter.READS_IGNORED)).isEqualTo(4);

        table.read(CAROL, ALICE, 1, 8);
        table.read(CAROL, ALICE, 1, 8);
        assertThat(out.take())
                .as("once")
                .containsExactly(new Receipt(ALICE_CONN, 8, CAROL, ReceiptKind.READ, 1_000, 0));
        assertThat(counters.get(ShardCounter.READS_IGNORED)).isEqualTo(5);
        assertThat(ignoredReads())
                .as("the owner forgot no unread message, so no bound explains an ignored read")
                .isEmpty();
        assertThat(counters.get(ShardCounter.MESSAGES_UNREAD)).isZero();
        assertThat(counters.get(ShardCounter.RECEIPTS_PENDING))
                .as("no state for an unknown sender")
                .isZero();
    }

    @Test
    void shouldForgetTheOldestUnreadMessagesPastTheBound() {
        table(WINDOW, MAX_QUEUED, MAX_PENDING_RECEIPTS, 2);
        open(ALICE, 1, ALICE_CONN);
        open(BOB, 1, BOB_CONN);
        for (long id = 1; id <= 3; id++) {
            table.send(toBob(id));
        }
        out.take();
        assertThat(counters.get(ShardCounter.MESSAGES_UNREAD)).isEqualTo(2);
        assertThat(counters.get(ShardCounter.UNREAD_DROPPED)).isEqualTo(1);

        for (long id = 1; id <= 3; id++) {
            table.read(BOB, ALICE, 1, id);
        }
        assertThat(out.take(Receipt.class))
                .as("the oldest was forgotten")
                .extracting(Receipt::id)
                .containsExactly(2L, 3L);
        assertThat(ignoredReads())
                .as(
                        "its read, ignored, is told entry by entry, so that its missing receipt is not taken for a lost one")
                .containsExactly(BOB + " read " + ALICE + "/1 id 1");

        table.read(BOB, ALICE, 1, 3);
        assertThat(ignoredReads()).as("a second read, ignored too").hasSize(2);
    }

    /** The reads the owner tells as ignored after it forgot unread messages ({@link HeldVisitor#readIgnored}). */
    private List<String> ignoredReads() {
        IgnoredReadLines reads = new IgnoredReadLines();
        table.visitHeld(reads);
        return reads.lines();
    }

    @Test
    void shouldKeepReceiptsForAnOfflineSenderAndDeliverThemInOrderOnItsNextOpen() {
        table();
        open(ALICE, 1, ALICE_CONN);
        open(ALICE, 2, ALICE2_CONN);
        table.send(toBob(7));
        table.send(toBob(8));
        table.close(ALICE, 1, ALICE_CONN);
        open(BOB, 1, BOB_CONN);
        clock.update(2_000);
        table.recv(BOB, 1, 1);
        clock.update(2_001);
        table.recv(BOB, 1, 2);
        clock.update(2_002);
        table.read(BOB, ALICE, 1, 7);
        assertThat(out.take(Receipt.class))
                .as("nothing for an offline device or its sibling")
                .isEmpty();

        open(ALICE, 1, ALICE_CONN_2);

        assertThat(out.take())
                .containsExactly(
                        new Receipt(ALICE_CONN_2, 7, BOB, ReceiptKind.DELIVERED, 2_000, 0),
                        new Receipt(ALICE_CONN_2, 8, BOB, ReceiptKind.DELIVERED, 2_001, 0),
                        new Receipt(ALICE_CONN_2, 7, BOB, ReceiptKind.READ, 2_002, 0));
        table.close(ALICE, 1, ALICE_CONN_2);
        open(ALICE, 1, ALICE_CONN);
        assertThat(out.take()).as("receipts are delivered once").isEmpty();
    }

    @Test
    void shouldDropTheOldestPendingReceiptsBeyondTheBoundAndCountThem() {
        table(WINDOW, MAX_QUEUED, 2);

        for (long id = 1; id <= 3; id++) {
            readReceipt(BOB, 1, id);
        }
        open(ALICE, 1, ALICE_CONN);

        assertThat(out.take(Receipt.class)).extracting(Receipt::id).containsExactly(2L, 3L);
        assertThat(counters.get(ShardCounter.RECEIPTS_DROPPED)).isEqualTo(1);
    }

    @Test
    void shouldKeepTheNewestPendingReceiptsInOrderThroughRepeatedOverflow() {
        table(WINDOW, MAX_QUEUED, 5);

        for (long id = 1; id <= 12; id++) {
            readReceipt(BOB, 1, id);
        }
        for (long id = 1; id <= 3; id++) {
            readReceipt(CAROL, 2, id);
        }
        open(ALICE, 1, ALICE_CONN);
        open(ALICE, 2, ALICE2_CONN);

        List<Receipt> receipts = out.take(Receipt.class);
        assertThat(receipts)
                .filteredOn(receipt -> receipt.connection() == ALICE_CONN)
                .extracting(Receipt::id)
                .containsExactly(8L, 9L, 10L, 11L, 12L);
        assertThat(receipts)
                .filteredOn(receipt -> receipt.connection() == ALICE2_CONN)
                .extracting(Receipt::id)
                .containsExactly(1L, 2L, 3L);
        assertThat(counters.get(ShardCounter.RECEIPTS_DROPPED)).isEqualTo(7);

        table.close(ALICE, 1, ALICE_CONN);
        for (long id = 13; id <= 19; id++) {
            readReceipt(BOB, 1, id);
        }
        open(ALICE, 1, ALICE_CONN_2);
        assertThat(out.take(Receipt.class)).extracting(Receipt::id).containsExactly(15L, 16L, 17L, 18L, 19L);
        assertThat(counters.get(ShardCounter.RECEIPTS_DROPPED)).isEqualTo(9);
    }

    @Test
    void shouldSendAReceiptAgainWithItsRseqUntilASessionWithReceiptAcksAcknowledgesIt() {
        table();
        clock.update(5_000);
        long first = 5_000 * 1024;
        openWithReceiptAcks(ALICE, 1, ALICE_CONN);
        readReceipt(BOB, 1, 7);
        readReceipt(BOB, 1, 8);
        assertThat(out.take())
                .containsExactly(
                        new Receipt(ALICE_CONN, 7, BOB, ReceiptKind.READ, 5_000, first),
                        new Receipt(ALICE_CONN, 8, BOB, ReceiptKind.READ, 5_000, first + 1));

        table.receiptAck(ALICE, 1, first);
        table.close(ALICE, 1, ALICE_CONN);
        clock.update(6_000);
        readReceipt(BOB, 1, 9);
        openWithReceiptAcks(ALICE, 1, ALICE_CONN_2);

        assertThat(out.take())
                .as("8 was never acknowledged: sent again as it was; 9 came while offline and takes the next rseq")
                .containsExactly(
                        new Receipt(ALICE_CONN_2, 8, BOB, ReceiptKind.READ, 5_000, first + 1),
                        new Receipt(ALICE_CONN_2, 9, BOB, ReceiptKind.READ, 6_000, first + 2));
        assertThat(counters.get(ShardCounter.RECEIPTS_PENDING)).isEqualTo(2);

        table.receiptAck(ALICE, 1, first + 2);
        table.close(ALICE, 1, ALICE_CONN_2);
        openWithReceiptAcks(ALICE, 1, ALICE_CONN);
        assertThat(out.take()).as("everything was acknowledged").isEmpty();
        assertThat(counters.get(ShardCounter.RECEIPTS_PENDING)).isZero();
    }

    @Test
    void shouldGiveASessionWithoutReceiptAcksTheUnacknowledgedReceiptsOnceWithoutRseq() {
        table();
        clock.update(5_000);
        openWithReceiptAcks(ALICE, 1, ALICE_CONN);
        readReceipt(BOB, 1, 7);
        assertThat(out.take(Receipt.class)).extracting(Receipt::rseq).containsExactly(5_000L * 1024);
        table.close(ALICE, 1, ALICE_CONN);

        open(ALICE, 1, ALICE_CONN_2);
        assertThat(out.take()).containsExactly(new Receipt(ALICE_CONN_2, 7, BOB, ReceiptKind.READ, 5_000, 0));
        readReceipt(BOB, 1, 8);
        assertThat(out.take()).containsExactly(new Receipt(ALICE_CONN_2, 8, BOB, ReceiptKind.READ, 5_000, 0));
        table.close(ALICE, 1, ALICE_CONN_2);

        open(ALICE, 1, ALICE_CONN);
        assertThat(out.take()).as("delivered once").isEmpty();
    }

    @Test
    void shouldBoundTheReceiptsASessionDoesNotAcknowledge() {
        table(WINDOW, MAX_QUEUED, 3);
        openWithReceiptAcks(ALICE, 1, ALICE_CONN);
        for (long id = 1; id <= 5; id++) {
            readReceipt(BOB, 1, id);
        }
        out.take();
        table.close(ALICE, 1, ALICE_CONN);

        openWithReceiptAcks(ALICE, 1, ALICE_CONN_2);
        assertThat(out.take(Receipt.class)).extracting(Receipt::id).containsExactly(3L, 4L, 5L);
        assertThat(counters.get(ShardCounter.RECEIPTS_DROPPED)).isEqualTo(2);
    }
}
