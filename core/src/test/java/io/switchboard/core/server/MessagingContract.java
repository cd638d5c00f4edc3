package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.protocol.BinaryFrameEncoder;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.JsonFrameEncoder;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.protocol.WireCodec;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * protocol.md's Session and One-to-one sections, end to end over real sockets. Each routing variant runs the whole
 * contract through a subclass.
 */
@Timeout(60)
abstract class MessagingContract extends ServerContract {

    static Frame send(long id, long to, String text) {
        return new Frame()
                .reset(FrameType.SEND)
                .id(id)
                .toUser(to)
                .addEnvelope(1, EnvelopeType.MSG, text.getBytes(StandardCharsets.UTF_8));
    }

    record Tokens(String alice, String bob) {}

    /** Registers Alice and Bob; Alice sends messages 1..count ("m1", "m2", ...) to Bob, offline, each acked. */
    Tokens queueForOfflineBob(int count) {
        Tokens tokens = new Tokens(server.register(ALICE, 1), server.register(BOB, 1));
        try (TestClient alice = server.session(ALICE, 1, tokens.alice())) {
            for (int id = 1; id <= count; id++) {
                alice.send(send(id, BOB, "m" + id));
                assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(id);
            }
        }
        return tokens;
    }

    static String body(Frame msg) {
        return new String(msg.envelopeBody(0), StandardCharsets.UTF_8);
    }

    @Test
    void shouldDeliverAckMessageAndDeliveredAndReadReceipts() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            alice.send(send(7, BOB, "hello bob"));
            Frame ack = alice.expect(FrameType.ACK);
            assertThat(ack.id()).isEqualTo(7);
            assertThat(ack.ts()).isPositive();

            Frame msg = bob.expect(FrameType.MSG);
            assertThat(msg.id()).isEqualTo(7);
            assertThat(msg.seq()).isEqualTo(1);
            assertThat(msg.fromUser()).isEqualTo(ALICE);
            assertThat(msg.fromDevice()).isEqualTo(1);
            assertThat(msg.envelopeType(0)).isEqualTo(EnvelopeType.MSG);
            assertThat(body(msg)).isEqualTo("hello bob");
            assertThat(msg.ts()).isEqualTo(ack.ts());

            bob.send(recv(msg.seq()));
            Frame delivered = alice.expect(FrameType.RECEIPT);
            assertThat(delivered.id()).isEqualTo(7);
            assertThat(delivered.toUser()).isEqualTo(BOB);
            assertThat(delivered.kind()).isEqualTo(ReceiptKind.DELIVERED);

            bob.send(new Frame().reset(FrameType.READ).from(ALICE, 1).addId(7));
            Frame read = alice.expect(FrameType.RECEIPT);
            assertThat(read.id()).isEqualTo(7);
            assertThat(read.kind()).isEqualTo(ReceiptKind.READ);
        }
    }

    /**
     * protocol.md: only a repeat of an accepted id is acknowledged again. An id below the highest that was never
     * accepted (a refused send sent again, sends that crossed) is a new message; one too far below to tell is refused,
     * never acknowledged and dropped (a client whose counter went back would lose it silently).
     */
    @Test
    void shouldAcknowledgeOnlyTrueRepeatsOfAnIdAndRefuseOneBelowTheWindow() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            alice.send(send(300, BOB, "highest"));
            assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(300);
            assertThat(bob.expect(FrameType.MSG).id()).isEqualTo(300);

            alice.send(send(10, BOB, "after a reset"));
            Frame refused = alice.expect(FrameType.ERROR);
            assertThat(refused.code()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(refused.id()).isEqualTo(10);
            assertThat(refused.message().toString()).contains("above 300");

            alice.send(send(100, BOB, "never accepted before"));
            assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(100);
            Frame late = bob.expect(FrameType.MSG);
            assertThat(late.id()).isEqualTo(100);
            assertThat(body(late)).isEqualTo("never accepted before");

            alice.send(send(100, BOB, "never accepted before"));
            alice.send(send(300, BOB, "highest"));
            assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(100);
            assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(300);
            expectNothing(bob);
        }
    }

    @Test
    void shouldQueueForOfflineDeviceAndRedeliverOnEveryNewSessionUntilAcknowledged() {
        Tokens tokens = queueForOfflineBob(3);
        try (TestClient bob = server.session(BOB, 1, tokens.bob())) {
            for (int id = 1; id <= 3; id++) {
                Frame msg = bob.expect(FrameType.MSG);
                assertThat(msg.id()).isEqualTo(id);
                assertThat(msg.seq()).isEqualTo(id);
            }
            bob.send(recv(1));
        }
        try (TestClient bob = server.session(BOB, 1, tokens.bob())) {
            Frame msg = bob.expect(FrameType.MSG);
            assertThat(msg.seq()).isEqualTo(2);
            assertThat(body(msg)).isEqualTo("m2");
            assertThat(bob.expect(FrameType.MSG).seq()).isEqualTo(3);
            bob.send(recv(2));
            bob.send(recv(3));
            bob.send(new Frame().reset(FrameType.PING));
            bob.expect(FrameType.PONG);
        }
        try (TestClient bob = server.session(BOB, 1, tokens.bob())) {
            expectNothing(bob);
        }
    }

    /**
     * The server says what it still holds, entry by entry: queued for an offline device (held), written to the
     * current session and not yet acknowledged (written), and receipts its sending device does not have.
     */
    @Test
    void shouldTellWhatItHoldsEntryByEntry() {
        Tokens tokens = queueForOfflineBob(2);
        assertThat(server.held()).containsExactly("msg 99/1 from 42/1 id 1 held", "msg 99/1 from 42/1 id 2 held");
        try (TestClient bob = server.session(BOB, 1, tokens.bob())) {
            bob.expect(FrameType.MSG);
            bob.expect(FrameType.MSG);
            assertThat(server.held())
                    .containsExactly("msg 99/1 from 42/1 id 1 written", "msg 99/1 from 42/1 id 2 written");
            bob.send(recv(1));
            bob.send(new Frame().reset(FrameType.SUB).user(BOB));
            bob.expect(FrameType.PRESENCE);
            // The receipt goes to Alice's owner on its own way (another shard's peer ring): wait for it.
            await().atMost(TestClient.TIMEOUT)
                    .untilAsserted(() -> assertThat(server.held())
                            .containsExactly("msg 99/1 from 42/1 id 2 written", "receipt 42/1 id 1 DELIVERED held"));
        }
        try (TestClient alice = server.connect().hello(ALICE, 1, tokens.alice(), true)) {
            assertThat(alice.expect(FrameType.RECEIPT).id()).isEqualTo(1);
            // Bob's close reaches Bob's owner on its own way.
            await().atMost(TestClient.TIMEOUT)
                    .untilAsserted(() -> assertThat(server.held())
                            .containsExactly("msg 99/1 from 42/1 id 2 held", "receipt 42/1 id 1 DELIVERED written"));
        }
    }

    /**
     * Whether a shard may refuse a send as behind on deliveries while a reader does not read: only where the rings are
     * small enough to fill ({@link ShardedSmallRingsMessagingTest}); elsewhere every such send is acked.
     */
    boolean refusesBehindASlowReader() {
        return false;
    }

    /** How many messages the flood sends: enough, in a variant with small rings, to fill them. */
    int floodMessages() {
        return 10_000;
    }

    /**
     * A flood from one sender: every send is answered, acked or refused with {@code unavailable} while the shard is
     * behind on deliveries (back-pressure, nothing stored); the recipient gets exactly the acked ones, in order, and the
     * sender a delivered receipt for each.
     */
    @Test
    void shouldKeepTheOrderOfAFloodOfMessagesFromOneSender() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        int count = floodMessages();
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            for (int id = 1; id <= count; id++) {
                alice.send(send(id, BOB, Integer.toString(id)));
            }
            List<Long> acked = ackedAnswers(alice, count);
            for (int i = 0; i < acked.size(); i++) {
                Frame msg = bob.expect(FrameType.MSG);
                assertThat(msg.id()).isEqualTo(acked.get(i));
                assertThat(msg.seq()).isEqualTo(i + 1);
                assertThat(body(msg)).isEqualTo(Long.toString(acked.get(i)));
                bob.send(recv(msg.seq()));
            }
            for (long id : acked) {
                Frame receipt = alice.expect(FrameType.RECEIPT);
                assertThat(receipt.kind()).isEqualTo(ReceiptKind.DELIVERED);
                assertThat(receipt.id()).isEqualTo(id);
            }
        }
    }

    @Test
    void shouldAckARepeatedSendAgainWithoutDeliveringItTwice() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            alice.send(send(5, BOB, "once"));
            alice.send(send(5, BOB, "once"));
            assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(5);
            assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(5);
            assertThat(bob.expect(FrameType.MSG).id()).isEqualTo(5);
            expectNothing(bob);
        }
    }

    @Test
    void shouldReplaceTheOlderSessionOfADevice() {
        String bobToken = server.register(BOB, 1);
        try (TestClient first = server.session(BOB, 1, bobToken);
                TestClient second = server.session(BOB, 1, bobToken)) {
            Frame error = first.expect(FrameType.ERROR);
            assertThat(error.code()).isEqualTo(ErrorCode.REPLACED);
            assertThat(first.awaitClose()).isEqualTo(1008);
            second.send(new Frame().reset(FrameType.PING));
            second.expect(FrameType.PONG);
        }
    }

    @Test
    void shouldRefuseABadTokenAndAForeignToken() {
        String aliceToken = server.register(ALICE, 1);
        server.register(BOB, 1);
        for (Frame hello : new Frame[] {
            new Frame().reset(FrameType.HELLO).user(BOB).device(1).token("not-the-token"),
            new Frame().reset(FrameType.HELLO).user(BOB).device(1).token(aliceToken),
            new Frame().reset(FrameType.HELLO).user(ALICE).device(2).token(aliceToken),
            new Frame().reset(FrameType.HELLO).user(7).device(1).token(aliceToken)
        }) {
            try (TestClient client = server.connect()) {
                client.send(hello);
                assertThat(client.expect(FrameType.ERROR).code()).isEqualTo(ErrorCode.AUTH);
                assertThat(client.awaitClose()).isEqualTo(1008);
            }
        }
    }

    @Test
    void shouldRefuseAnyFrameBeforeHello() {
        try (TestClient client = server.connect()) {
            client.send(send(1, BOB, "too early"));
            assertThat(client.expect(FrameType.ERROR).code()).isEqualTo(ErrorCode.AUTH);
            assertThat(client.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void shouldAnswerAuthToAHelloWithoutAToken() {
        server.register(ALICE, 1);
        try (TestClient client = server.connect()) {
            if (codec == WireCodec.JSON) {
                client.sendText("{\"t\":\"hello\",\"user\":" + ALICE + ",\"device\":1}");
            } else {
                // sb.bin.v1 has no absent field: a hello without a token carries an empty one.
                client.send(new Frame().reset(FrameType.HELLO).user(ALICE).device(1));
            }
            assertThat(client.expect(FrameType.ERROR).code()).isEqualTo(ErrorCode.AUTH);
            assertThat(client.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionThatSentAnOversizeFrame() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            // Just over the limit: the client finishes writing before the server answers and closes.
            int limit = Integer.parseInt(String.valueOf(settings().getOrDefault("transport.maxFrameBytes", 1 << 20)));
            if (codec == WireCodec.JSON) {
                alice.sendTextMayBeCutOff("{\"t\":\"ping\",\"pad\":\"" + "x".repeat(limit) + "\"}");
            } else {
                alice.sendBinaryMayBeCutOff(new byte[limit + 1]);
            }
            assertThat(alice.expect(FrameType.ERROR).code()).isEqualTo(ErrorCode.TOO_LARGE);
            assertThat(alice.awaitClose()).isEqualTo(1009);

            try (TestClient carol = server.session(ALICE, 1, aliceToken)) {
                carol.send(send(1, BOB, "still here"));
                carol.expect(FrameType.ACK);
                assertThat(body(bob.expect(FrameType.MSG))).isEqualTo("still here");
            }
        }
    }

    @Test
    void shouldCloseOnlyTheConnectionThatSentAMalformedFrame() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            if (codec == WireCodec.JSON) {
                alice.sendText("{\"t\":\"send\",\"id\":-1}");
            } else {
                alice.sendBinary(new BinaryFrameEncoder().encode(new Frame().reset(FrameType.SEND)));
            }
            Frame error = alice.expect(FrameType.ERROR);
            assertThat(error.code()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(error.message().toString()).isNotEmpty();
            assertThat(alice.awaitClose()).isEqualTo(1002);
            bob.send(new Frame().reset(FrameType.PING));
            bob.expect(FrameType.PONG);
        }
    }

    @Test
    void shouldSpeakTheEncodingTheClientAskedForAndCloseOnlyAConnectionThatSwitches() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            assertThat(alice.subprotocol()).isEqualTo(codec.subprotocol());
            Frame ping = new Frame().reset(FrameType.PING);
            if (codec == WireCodec.JSON) {
                alice.sendBinary(new BinaryFrameEncoder().encode(ping));
            } else {
                alice.sendText(new JsonFrameEncoder().encodeToString(ping));
            }
            Frame error = alice.expect(FrameType.ERROR);
            assertThat(error.code()).isEqualTo(ErrorCode.BAD_FRAME);
            assertThat(error.message().toString()).startsWith(codec.subprotocol() + " takes only");
            assertThat(alice.awaitClose()).isEqualTo(1002);
            bob.send(send(1, ALICE, "still here"));
            bob.expect(FrameType.ACK);
        }
    }

    @Test
    void shouldDeliverReceiptsThatBecameDueWhileTheSenderWasAway() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(send(11, BOB, "are you there"));
            alice.expect(FrameType.ACK);
        }
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            bob.send(recv(bob.expect(FrameType.MSG).seq()));
            bob.send(new Frame().reset(FrameType.READ).from(ALICE, 1).addId(11));
            bob.send(new Frame().reset(FrameType.PING));
            bob.expect(FrameType.PONG);
        }
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            Frame delivered = alice.expect(FrameType.RECEIPT);
            assertThat(delivered.kind()).isEqualTo(ReceiptKind.DELIVERED);
            assertThat(delivered.id()).isEqualTo(11);
            Frame read = alice.expect(FrameType.RECEIPT);
            assertThat(read.kind()).isEqualTo(ReceiptKind.READ);
            assertThat(read.id()).isEqualTo(11);
        }
    }

    @Test
    void shouldSendDeliveredOnlyWhenEveryDeviceOfTheRecipientAcknowledged() {
        String aliceToken = server.register(ALICE, 1);
        String bobPhone = server.register(BOB, 1);
        String bobLaptop = server.link(BOB, bobPhone, 2);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient phone = server.session(BOB, 1, bobPhone);
                TestClient laptop = server.session(BOB, 2, bobLaptop)) {
            alice.send(new Frame()
                    .reset(FrameType.SEND)
                    .id(3)
                    .toUser(BOB)
                    .addEnvelope(1, EnvelopeType.PKMSG, "for phone".getBytes(StandardCharsets.UTF_8))
                    .addEnvelope(2, EnvelopeType.PKMSG, "for laptop".getBytes(StandardCharsets.UTF_8)));
            alice.expect(FrameType.ACK);
            Frame onPhone = phone.expect(FrameType.MSG);
            Frame onLaptop = laptop.expect(FrameType.MSG);
            assertThat(body(onPhone)).isEqualTo("for phone");
            assertThat(body(onLaptop)).isEqualTo("for laptop");
            phone.send(recv(onPhone.seq()));
            // The phone's recv has reached Bob's owner before Alice's fence starts: a receipt it caused comes first.
            expectNothing(phone);
            expectNothing(alice);
            laptop.send(recv(onLaptop.seq()));
            assertThat(alice.expect(FrameType.RECEIPT).kind()).isEqualTo(ReceiptKind.DELIVERED);
        }
    }

    @Test
    void shouldNameMissingAndExtraDevicesAndUnknownRecipients() {
        String aliceToken = server.register(ALICE, 1);
        server.link(BOB, server.register(BOB, 1), 2);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(new Frame()
                    .reset(FrameType.SEND)
                    .id(1)
                    .toUser(BOB)
                    .addEnvelope(1, EnvelopeType.MSG, new byte[] {1})
                    .addEnvelope(3, EnvelopeType.MSG, new byte[] {3}));
            Frame devices = alice.expect(FrameType.ERROR);
            assertThat(devices.code()).isEqualTo(ErrorCode.DEVICES);
            assertThat(devices.id()).isEqualTo(1);
            assertThat(devices.missing().toIntArray()).containsExactly(2);
            assertThat(devices.extra().toIntArray()).containsExactly(3);

            alice.send(send(2, 12345, "nobody"));
            Frame unknown = alice.expect(FrameType.ERROR);
            assertThat(unknown.code()).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT);
            assertThat(unknown.id()).isEqualTo(2);

            alice.send(new Frame().reset(FrameType.PING));
            alice.expect(FrameType.PONG);
        }
    }

    /**
     * Reads the answers to {@code count} pipelined sends: each an ack, in order, or {@code unavailable} with a retry
     * hint (a shard behind on deliveries refuses, storing nothing). Returns the acked ids; at least one.
     */
    private static List<Long> ackedAnswers(TestClient sender, int count) {
        List<Long> acked = new ArrayList<>();
        for (int answered = 0; answered < count; answered++) {
            Frame answer = sender.next();
            if (answer.type() == FrameType.ACK) {
                assertThat(answer.id()).isGreaterThan(acked.isEmpty() ? 0 : acked.get(acked.size() - 1));
                acked.add(answer.id());
            } else {
                assertThat(answer.type()).isEqualTo(FrameType.ERROR);
                assertThat(answer.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(answer.retryAfterMs()).isPositive();
            }
        }
        assertThat(acked).isNotEmpty();
        return acked;
    }

    /**
     * Messages for a device that does not read wait for it, every acked one delivered in order to its next session.
     * Every send is acked, but where the rings are small enough to fill: there a shard may refuse some meanwhile
     * (behind on deliveries), which were never acked and are not owed.
     */
    @Test
    void shouldHoldMessagesForAReaderThatDoesNotReadAndLoseNone() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        int count = 2_000;
        String padding = "p".repeat(4 * 1024);
        List<Long> acked;
        try (TestClient slow = server.connect(false);
                TestClient alice = server.session(ALICE, 1, aliceToken)) {
            slow.send(new Frame().reset(FrameType.HELLO).user(BOB).device(1).token(bobToken));
            for (int id = 1; id <= count; id++) {
                alice.send(send(id, BOB, id + padding));
            }
            acked = ackedAnswers(alice, count);
        }
        if (!refusesBehindASlowReader()) {
            assertThat(acked).as("every send acked").hasSize(count);
        }
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            for (long id : acked) {
                Frame msg = bob.expect(FrameType.MSG);
                assertThat(msg.id()).isEqualTo(id);
                assertThat(body(msg)).isEqualTo(id + padding);
                bob.send(recv(msg.seq()));
            }
            expectNothing(bob);
        }
    }

    /**
     * A client that stops reading while others keep writing to it: messages wait within the delivery window, but
     * typing (and presence) frames do not, so its unsent bytes grow until they pass {@code transport.maxOutboundBytes}
     * and the server closes it. Its messages stay queued for its next session; nobody else waits meanwhile.
     */
    @Test
    void shouldCloseASlowConsumerKeepItsMessagesForItsNextSessionAndServeOthersMeanwhile() {
        Map<String, Object> tight = new HashMap<>(settings());
        tight.putIfAbsent("transport.maxFrameBytes", 7 * 1024);
        tight.put("transport.writeBufferHighBytes", 32 * 1024);
        tight.put("transport.writeBufferLowBytes", 16 * 1024);
        tight.put("transport.maxOutboundBytes", 64 * 1024);
        // A typing flood fills Bob's channel fastest, and the typing limit now stops exactly that: off here, so that
        // the slow-consumer bound behind it is still what this tests.
        tight.put("limits.typing.perSecond", 0);
        server.close();
        server = TestServer.start(routing(), data, tight);
        long carolUser = 7;
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(carolUser, 1);
        // Fewer than a window's worth of bytes: the messages alone never make Bob a slow consumer, nor do they his next
        // session, which is sent the whole window at once.
        int count = 300;
        try (TestClient carol = server.session(carolUser, 1, carolToken);
                TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient slow = server.connect(false)) {
            carol.send(new Frame().reset(FrameType.SUB).user(BOB));
            assertThat(carol.expect(FrameType.PRESENCE).online()).isFalse();
            slow.send(new Frame().reset(FrameType.HELLO).user(BOB).device(1).token(bobToken));
            assertThat(carol.expect(FrameType.PRESENCE).online())
                    .as("Bob's session opened")
                    .isTrue();
            for (int id = 1; id <= count; id++) {
                alice.send(send(id, BOB, "m" + id));
                assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(id);
            }

            Frame typing = new Frame().reset(FrameType.TYPING).toUser(BOB).on(true);
            boolean closed = false;
            for (long round = 1; !closed; round++) {
                assertThat(round).as("rounds before Bob is closed").isLessThan(10_000);
                for (int i = 0; i < 100; i++) {
                    alice.send(typing);
                }
                // Alice and Carol are served while Bob's bytes pile up unread: a message from one to the other,
                // through the owners of their state and their I/O loops, its recv and its receipt.
                alice.send(send(count + round, carolUser, "meanwhile"));
                assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(count + round);
                Frame frame = carol.next();
                if (frame.type() == FrameType.PRESENCE) {
                    assertThat(frame.online()).as("Bob's session closed").isFalse();
                    assertThat(round)
                            .as("a round trip done while Bob was stuck and still connected: the first round's"
                                    + " bytes to him, the window's messages and 100 typing frames, are under the bound")
                            .isGreaterThan(1);
                    closed = true;
                    frame = carol.next();
                }
                assertThat(frame.type()).as(frame.toString()).isEqualTo(FrameType.MSG);
                assertThat(body(frame)).isEqualTo("meanwhile");
                carol.send(recv(frame.seq()));
                assertThat(alice.expect(FrameType.RECEIPT).id()).isEqualTo(count + round);
            }
            assertThat(server.total(LoopCounter.SLOW_CONSUMER_CLOSES)).isEqualTo(1);
        }
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            for (int id = 1; id <= count; id++) {
                Frame msg = bob.expect(FrameType.MSG);
                assertThat(msg.id()).as("in order, typing not kept").isEqualTo(id);
                assertThat(body(msg)).isEqualTo("m" + id);
                bob.send(recv(msg.seq()));
            }
            expectNothing(bob);
        }
    }

    @Test
    void shouldKeepRegisteredAccountsAcrossARestart() {
        String aliceToken = server.register(ALICE, 1);
        server.close();
        server = TestServer.start(routing(), data, settings());
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(new Frame().reset(FrameType.PING));
            alice.expect(FrameType.PONG);
        }
        assertThat(server.post("/v1/accounts", "{\"user\":42,\"device\":1}").statusCode())
                .isEqualTo(409);
    }

    @Test
    void shouldCloseAConnectionThatStaysSilentPastTheIdleTimeout() {
        server.close();
        Map<String, Object> idle = new HashMap<>(settings());
        idle.put("transport.idleTimeoutMs", 300);
        // The variant's settings too: another shard count is another journal layout, which a start refuses.
        server = TestServer.start(routing(), data, idle);
        String aliceToken = server.register(ALICE, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            assertThat(alice.awaitClose()).isEqualTo(1000);
        }
    }

    @Test
    void shouldCloseAConnectionThatSaysNoHelloInTimeButKeepOneThatDid() {
        server.close();
        Map<String, Object> hello = new HashMap<>(settings());
        hello.put("transport.helloTimeoutMs", 1000);
        server = TestServer.start(routing(), data, hello);
        String aliceToken = server.register(ALICE, 1);
        try (TestClient silent = server.connect();
                TestClient alice = server.session(ALICE, 1, aliceToken)) {
            assertThat(silent.expect(FrameType.ERROR).code()).isEqualTo(ErrorCode.AUTH);
            assertThat(silent.awaitClose()).isEqualTo(1008);
            alice.send(new Frame().reset(FrameType.PING));
            alice.expect(FrameType.PONG);
        }
    }

    @Test
    void shouldDeliverAcknowledgedMessagesAndPendingReceiptsAfterARestart() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            for (int id = 1; id <= 3; id++) {
                alice.send(send(id, BOB, "kept " + id));
                alice.expect(FrameType.ACK);
            }
        }
        restart();
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            for (int id = 1; id <= 3; id++) {
                Frame msg = bob.expect(FrameType.MSG);
                assertThat(msg.id()).isEqualTo(id);
                assertThat(body(msg)).isEqualTo("kept " + id);
            }
            bob.send(recv(1));
            bob.send(new Frame().reset(FrameType.READ).from(ALICE, 1).addId(1));
            // The owner of Bob's state answers this after the recv and read before it (a pong comes from the
            // connection's thread, which would not say that).
            bob.send(new Frame().reset(FrameType.SUB).user(BOB));
            bob.expect(FrameType.PRESENCE);
        }
        restart();
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            assertThat(bob.expect(FrameType.MSG).id())
                    .as("2 and 3 were never acknowledged")
                    .isEqualTo(2);
            assertThat(bob.expect(FrameType.MSG).id()).isEqualTo(3);
        }
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            assertThat(alice.expect(FrameType.RECEIPT).kind()).isEqualTo(ReceiptKind.DELIVERED);
            assertThat(alice.expect(FrameType.RECEIPT).kind()).isEqualTo(ReceiptKind.READ);
            alice.send(send(3, BOB, "kept 3"));
            assertThat(alice.expect(FrameType.ACK).id())
                    .as("a repeat after the restart is still a repeat")
                    .isEqualTo(3);
            expectNothing(alice);
        }
    }

    @Test
    void shouldSendReceiptsAgainUntilASessionWithReceiptAcksAcknowledgesThemEvenAcrossARestart() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        long delivered;
        long read;
        try (TestClient alice = server.connect().hello(ALICE, 1, aliceToken, true);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            alice.send(send(7, BOB, "hello"));
            alice.expect(FrameType.ACK);
            bob.send(recv(bob.expect(FrameType.MSG).seq()));
            bob.send(new Frame().reset(FrameType.READ).from(ALICE, 1).addId(7));
            delivered = alice.expect(FrameType.RECEIPT).rseq();
            read = alice.expect(FrameType.RECEIPT).rseq();
            assertThat(read).isGreaterThan(delivered).isGreaterThan(0);
        }
        try (TestClient alice = server.connect().hello(ALICE, 1, aliceToken, true)) {
            Frame again = alice.expect(FrameType.RECEIPT);
            assertThat(again.kind()).isEqualTo(ReceiptKind.DELIVERED);
            assertThat(again.rseq()).as("a receipt sent again keeps its rseq").isEqualTo(delivered);
            assertThat(alice.expect(FrameType.RECEIPT).rseq()).isEqualTo(read);
            alice.send(new Frame().reset(FrameType.RECEIPT_ACK).rseq(delivered));
            // Answered by the owner of Alice's state after the receipt.ack before it.
            alice.send(new Frame().reset(FrameType.SUB).user(ALICE));
            alice.expect(FrameType.PRESENCE);
        }
        restart();
        try (TestClient alice = server.connect().hello(ALICE, 1, aliceToken, true)) {
            // Receipts are at-least-once across a restart: one acknowledged in a cycle that still held an
            // unacknowledged one may come again, before the unacknowledged one.
            Frame again = alice.expect(FrameType.RECEIPT);
            if (again.kind() == ReceiptKind.DELIVERED) {
                again = alice.expect(FrameType.RECEIPT);
            }
            assertThat(again.kind()).isEqualTo(ReceiptKind.READ);
            assertThat(again.rseq())
                    .as("rseqs keep increasing across a restart")
                    .isGreaterThan(read);
            alice.send(new Frame().reset(FrameType.RECEIPT_ACK).rseq(again.rseq()));
            alice.send(new Frame().reset(FrameType.SUB).user(ALICE));
            alice.expect(FrameType.PRESENCE);
        }
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            expectNothing(alice);
        }
    }
}
