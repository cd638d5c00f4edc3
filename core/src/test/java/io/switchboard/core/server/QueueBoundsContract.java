package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.GroupEventKind;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Queues bounded in bytes, per device and per server, over real sockets: a send that would pass a bound gets {@code
 * unavailable} with {@code retryAfterMs} and is neither stored nor acknowledged, a group send is refused whole, and
 * once the recipient drains its queue the same send is accepted. The bounds are set so that a few 1,000-byte bodies
 * reach them: an entry counts its body and 128 bytes.
 */
@Timeout(60)
abstract class QueueBoundsContract extends ServerContract {
    private static final long CAROL = GroupsContract.CAROL;
    private static final int BODY = 1000;
    private static final int ENTRY = BODY + 128;
    /** Eight entries of {@link #BODY} fill a device's queue to the byte. */
    private static final int PER_DEVICE = 8 * ENTRY;
    /** Eleven entries of {@link #BODY}. */
    private static final int PER_SERVER = 11 * ENTRY;

    @Override
    Map<String, Object> settings() {
        return bounds(Map.of());
    }

    private static Map<String, Object> bounds(Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(more);
        settings.put("transport.maxFrameBytes", "8k");
        settings.put("router.maxQueuedBytesPerDevice", PER_DEVICE);
        settings.put("router.maxQueuedBytes", PER_SERVER);
        return settings;
    }

    /** A body of {@code length} bytes that says which message it is. */
    private static byte[] body(long id, int length) {
        byte[] body = new byte[length];
        Arrays.fill(body, (byte) ('a' + id % 26));
        byte[] name = ("#" + id + "#").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(name, 0, body, 0, Math.min(name.length, length));
        return body;
    }

    private static Frame send(long id, long to, int length) {
        return new Frame().reset(FrameType.SEND).id(id).toUser(to).addEnvelope(1, EnvelopeType.MSG, body(id, length));
    }

    private static Frame groupSend(long id, int length) {
        return new Frame()
                .reset(FrameType.SEND)
                .id(id)
                .toGroup("g1")
                .addEnvelope(0, EnvelopeType.SKMSG, body(id, length));
    }

    /** The next frame but {@code delivered} receipts, which the sender gets as recipients drain. */
    private static Frame nextAnswer(TestClient client) {
        Frame frame = client.next();
        while (frame.type() == FrameType.RECEIPT) {
            frame = client.next();
        }
        return frame;
    }

    private static void expectAck(TestClient client, long id) {
        Frame ack = nextAnswer(client);
        assertThat(ack.type()).as(ack.toString()).isEqualTo(FrameType.ACK);
        assertThat(ack.id()).as(ack.toString()).isEqualTo(id);
    }

    private static void expectUnavailable(TestClient client, long id) {
        Frame error = nextAnswer(client);
        assertThat(error.type()).as(error.toString()).isEqualTo(FrameType.ERROR);
        assertThat(error.code()).as(error.toString()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(error.id()).isEqualTo(id);
        assertThat(error.retryAfterMs()).isPositive();
        assertThat(error.message().toString()).contains("retry later");
    }

    /** Alice sends messages {@code from..to} of {@link #BODY} bytes to {@code user}, each acknowledged. */
    private static void sendAcked(TestClient alice, long user, long from, long to) {
        for (long id = from; id <= to; id++) {
            alice.send(send(id, user, BODY));
            expectAck(alice, id);
        }
    }

    /** Takes the messages with these ids, checks their bodies, and acknowledges each. */
    private static void drain(TestClient client, int length, long... ids) {
        for (long id : ids) {
            Frame msg = client.expect(FrameType.MSG);
            assertThat(msg.id()).isEqualTo(id);
            assertThat(msg.envelopeBody(0)).isEqualTo(body(id, msg.envelopeBody(0).length));
            assertThat(msg.envelopeBody(0)).hasSize(length);
            client.send(recv(msg.seq()));
        }
    }

    /** Waits until the user's owner has taken every {@code recv} (and so given the bytes back). */
    private void awaitEmptyQueue(long user) {
        String prefix = "msg " + user + "/";
        await().atMost(TestClient.TIMEOUT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> server.held().stream().noneMatch(line -> line.startsWith(prefix)));
    }

    /** What {@code /metrics} says is taken from the server's budget. */
    private long budgetUsed() {
        return gauge("switchboard_queued_bytes_budget_used");
    }

    /** What {@code /metrics} says bodies take on the heap (one-to-one bodies, stored group copies). */
    private long heapBodies() {
        return gauge("switchboard_queued_bytes_heap_bodies");
    }

    private long gauge(String name) {
        Matcher value = Pattern.compile(name + "(\\{[^}]*})? ([0-9.E]+)")
                .matcher(server.get("/metrics").body());
        assertThat(value.find()).as(name).isTrue();
        return (long) Double.parseDouble(value.group(2));
    }

    /** Once every queue drained, nothing counts any more: the owners' gauges and the server's budget are back at 0. */
    private void expectNothingCounted(long... users) {
        for (long user : users) {
            awaitEmptyQueue(user);
        }
        assertThat(server.total(ShardCounter.QUEUED_BYTES)).isZero();
        assertThat(budgetUsed()).isZero();
    }

    private static long[] ids(long from, long to) {
        long[] ids = new long[(int) (to - from + 1)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = from + i;
        }
        return ids;
    }

    @Test
    void shouldRefuseASendPastADevicesBytesAlsoAfterARestartAndAcceptItOnceTheDeviceDrained() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            sendAcked(alice, BOB, 1, 8);
            alice.send(send(9, BOB, BODY));
            expectUnavailable(alice, 9);
            // Nothing is left over: an empty body does not fit either.
            alice.send(send(10, BOB, 0));
            expectUnavailable(alice, 10);
            assertThat(server.total(ShardCounter.MESSAGES_REFUSED_FULL)).isEqualTo(2);
            assertThat(server.total(ShardCounter.QUEUED_BYTES)).isEqualTo(PER_DEVICE);
            assertThat(budgetUsed()).isEqualTo(PER_DEVICE);
            assertThat(server.get("/metrics").body())
                    .contains("switchboard_messages_queued_bytes")
                    .contains("switchboard_messages_refused_full_total");
        }

        restart();
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            // The replayed backlog counts as before.
            assertThat(server.total(ShardCounter.QUEUED_BYTES)).isEqualTo(PER_DEVICE);
            alice.send(send(9, BOB, BODY));
            expectUnavailable(alice, 9);
            drainAndRetry(alice, bobToken, 8, 9);
        }
    }

    /** Bob comes back and drains messages 1..held: Alice's refused send {@code id} is then accepted and delivered. */
    private void drainAndRetry(TestClient alice, String bobToken, int held, long id) {
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            drain(bob, BODY, ids(1, held));
            expectNothingCounted(BOB);
            alice.send(send(id, BOB, BODY));
            expectAck(alice, id);
            drain(bob, BODY, id);
            expectNothing(bob);
            expectNothingCounted(BOB);
        }
    }

    @Test
    void shouldRefuseASendPastTheServersBytesWhileTheDeviceHasRoomAndAcceptItOnceAnotherDeviceDrained() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            sendAcked(alice, BOB, 1, 8);
            sendAcked(alice, CAROL, 11, 13);
            // Carol's queue holds three of eight: the server's budget is what is spent.
            alice.send(send(14, CAROL, BODY));
            expectUnavailable(alice, 14);

            try (TestClient bob = server.session(BOB, 1, bobToken)) {
                drain(bob, BODY, 1);
                await().atMost(TestClient.TIMEOUT)
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> server.total(ShardCounter.MESSAGES_ACKNOWLEDGED) == 1);
                alice.send(send(14, CAROL, BODY));
                expectAck(alice, 14);
            }
        }
    }

    /**
     * Alice, Bob and Carol in g1; Bob goes offline and Alice fills his queue with {@code count} messages. Returns
     * Bob's token.
     */
    private String groupWithBobFilled(TestClient alice, TestClient carol, int count) {
        String bobToken = server.register(BOB, 1);
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            GroupsContract.createG1(alice, bob, BOB, CAROL);
            GroupsContract.expectEvent(carol, GroupEventKind.ADDED);
        }
        sendAcked(alice, BOB, 1, count);
        return bobToken;
    }

    @Test
    void shouldRefuseAWholeGroupSendWhileOneMembersQueueIsFullInBytes() {
        refuseGroupSendWhileBobIsFull(8);
    }

    @Test
    void shouldRefuseAWholeGroupSendWhileOneMembersQueueIsFullInMessagesWithACopyPerMember() {
        server.close();
        server = TestServer.start(
                routing(), data, bounds(Map.of("router.maxQueuedPerDevice", 3, "router.fanout", "per-member")));
        refuseGroupSendWhileBobIsFull(3);
    }

    private void refuseGroupSendWhileBobIsFull(int fill) {
        String aliceToken = server.register(ALICE, 1);
        String carolToken = server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient carol = server.session(CAROL, 1, carolToken)) {
            String bobToken = groupWithBobFilled(alice, carol, fill);
            alice.send(groupSend(100, 10));
            expectUnavailable(alice, 100);
            expectNothing(carol);

            try (TestClient bob = server.session(BOB, 1, bobToken)) {
                drain(bob, BODY, ids(1, fill));
                awaitEmptyQueue(BOB);
                alice.send(groupSend(100, 10));
                expectAck(alice, 100);
                drain(carol, 10, 100);
                drain(bob, 10, 100);
                expectNothing(carol);
                expectNothing(bob);
                expectNothingCounted(BOB, CAROL);
            }
        }
    }

    /** Room in the queues for a backlog, and room on the heap for three bodies of {@link #BODY}. */
    private static final Map<String, Object> THREE_BODIES_ON_THE_HEAP = Map.of(
            "transport.maxFrameBytes",
            "8k",
            "router.maxQueuedBytesPerDevice",
            "1m",
            "router.maxQueuedBytes",
            "1m",
            "router.maxHeapBodyBytes",
            3 * BODY);

    @Test
    void shouldKeepBodiesPastTheHeapsBudgetInTheJournalAlsoAfterARestartAndDeliverThemIntactInOrder() {
        int messages = 40;
        Map<String, Object> settings = THREE_BODIES_ON_THE_HEAP;
        server.close();
        server = TestServer.start(routing(), data, settings);
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            sendAcked(alice, BOB, 1, messages);
            assertThat(heapBodies()).isEqualTo(3 * BODY);
            assertThat(budgetUsed()).isEqualTo((long) messages * ENTRY);
        }

        server.close();
        server = TestServer.start(routing(), data, settings);
        // The replay keeps to the same budget: three bodies on the heap, the rest read back from the journal.
        assertThat(heapBodies()).isEqualTo(3 * BODY);
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            drain(bob, BODY, ids(1, messages));
            expectNothing(bob);
            expectNothingCounted(BOB);
            assertThat(heapBodies()).isZero();
        }
    }

    @Test
    void shouldReadTheBodiesOfMessagesToAnOnlineDeviceBackFromTheJournalUnlessEveryBodyGoesToTheHeap() {
        int messages = 5;
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            try (TestClient bob = server.session(BOB, 1, bobToken)) {
                sendAcked(alice, BOB, 1, messages);
                for (int i = 0; i < messages; i++) {
                    // Written from the send's own bytes as it was accepted, not acknowledged: still queued.
                    Frame msg = bob.expect(FrameType.MSG);
                    assertThat(msg.envelopeBody(0)).isEqualTo(body(msg.id(), BODY));
                }
                // router.heapBodies: waiting. Journaled, and Bob online: no body went to the heap.
                assertThat(heapBodies()).isZero();
                assertThat(budgetUsed()).isEqualTo((long) messages * ENTRY);
            }
            // Sent again on Bob's next session, each body read back from the journal intact.
            drainAndRetry(alice, bobToken, messages, messages + 1);
        }

        server.close();
        server = TestServer.start(routing(), data, bounds(Map.of("router.heapBodies", "all")));
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            sendAcked(alice, BOB, 11, 10 + messages);
            assertThat(heapBodies()).isEqualTo((long) messages * BODY);
            drain(bob, BODY, ids(11, 10 + messages));
            expectNothingCounted(BOB);
            assertThat(heapBodies()).isZero();
        }
    }

    @Test
    void shouldKeepGroupBodiesPastTheHeapsBudgetInTheJournalAlsoAfterARestartAndDeliverThemToEveryMember() {
        int messages = 20;
        server.close();
        server = TestServer.start(routing(), data, THREE_BODIES_ON_THE_HEAP);
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            try (TestClient bob = server.session(BOB, 1, bobToken);
                    TestClient carol = server.session(CAROL, 1, carolToken)) {
                GroupsContract.createG1(alice, bob, BOB, CAROL);
                GroupsContract.expectEvent(carol, GroupEventKind.ADDED);
            }
            for (long id = 1; id <= messages; id++) {
                alice.send(groupSend(id, BODY));
                expectAck(alice, id);
            }
            // One stored copy a message, whatever its members: three on the heap, seventeen in the journal only.
            assertThat(heapBodies()).isEqualTo(3 * BODY);
        }

        server.close();
        server = TestServer.start(routing(), data, THREE_BODIES_ON_THE_HEAP);
        // The replay keeps to the same budget.
        assertThat(heapBodies()).isEqualTo(3 * BODY);
        try (TestClient bob = server.session(BOB, 1, bobToken);
                TestClient carol = server.session(CAROL, 1, carolToken)) {
            drain(bob, BODY, ids(1, messages));
            drain(carol, BODY, ids(1, messages));
            expectNothing(bob);
            expectNothing(carol);
            expectNothingCounted(BOB, CAROL);
            // Once every member has them, no stored copy keeps a body on the heap.
            await().atMost(TestClient.TIMEOUT)
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> heapBodies() == 0);
        }
    }

    @Test
    void shouldRefuseASendPastTheHeapsBudgetForBodiesWithNoJournalToKeepThem() {
        server.close();
        server = TestServer.start(
                routing(), data, bounds(Map.of("journal.type", "memory", "router.maxHeapBodyBytes", 3 * BODY)));
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            sendAcked(alice, BOB, 1, 3);
            alice.send(send(4, BOB, BODY));
            expectUnavailable(alice, 4);
            drainAndRetry(alice, bobToken, 3, 4);
        }
    }

    /**
     * A journal with no room (free space below {@code journal.reserveBytes}, here the most it may be: 1 TiB) refuses a
     * send with {@code retryAfterMs}, as the other bounds do, so a client waits before it sends again.
     */
    @Test
    void shouldRefuseASendWithARetryAfterWhileTheJournalHasNoRoom() throws IOException {
        long reserve = 1L << 40;
        assumeTrue(Files.getFileStore(data).getUsableSpace() < reserve, "a disk with less than 1 TiB free");
        server.close();
        server = TestServer.start(routing(), data, bounds(Map.of("journal.reserveBytes", reserve)));
        server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, server.register(ALICE, 1))) {
            alice.send(send(1, BOB, BODY));
            expectUnavailable(alice, 1);
        }
    }

    @Test
    void shouldGiveTheBytesOfAGroupMessageBackWhenTheMemberHoldingItIsRemoved() {
        String aliceToken = server.register(ALICE, 1);
        String carolToken = server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient carol = server.session(CAROL, 1, carolToken)) {
            groupWithBobFilled(alice, carol, 0);
            alice.send(groupSend(100, BODY));
            expectAck(alice, 100);
            drain(carol, BODY, 100);
            await().atMost(TestClient.TIMEOUT)
                    .pollInterval(Duration.ofMillis(5))
                    .until(() -> server.total(ShardCounter.QUEUED_BYTES) == ENTRY);

            alice.send(GroupsContract.members(FrameType.GROUP_REMOVE, 2, "g1", BOB));
            GroupsContract.expectResult(alice, 2);
            expectNothingCounted(BOB, CAROL);
        }
    }

    @Test
    void shouldRefuseAGroupSendPastTheServersBytesAndAcceptItOnceAMemberDrained() {
        String aliceToken = server.register(ALICE, 1);
        String carolToken = server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient carol = server.session(CAROL, 1, carolToken)) {
            // Seven of Bob's eight: his queue has room, the server has 4,512 bytes left.
            String bobToken = groupWithBobFilled(alice, carol, 7);
            int large = 4500;
            alice.send(groupSend(100, large));
            expectUnavailable(alice, 100);
            expectNothing(carol);

            try (TestClient bob = server.session(BOB, 1, bobToken)) {
                drain(bob, BODY, ids(1, 7));
                awaitEmptyQueue(BOB);
                alice.send(groupSend(100, large));
                expectAck(alice, 100);
                drain(carol, large, 100);
                drain(bob, large, 100);
                expectNothingCounted(BOB, CAROL);
            }
        }
    }
}
