package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.GroupEventKind;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.protocol.WireCodec;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * protocol.md's Groups section, end to end over real sockets: membership and its rules, group messages from one stored
 * copy, aggregated receipts, and the membership semantics docs/architecture.md defines. Each routing and fan-out
 * variant runs it through a subclass.
 */
@Timeout(120)
abstract class GroupsContract extends ServerContract {
    static final long CAROL = 100;
    static final long DAVE = 101;

    static Frame create(long req, String group, long... members) {
        Frame frame =
                new Frame().reset(FrameType.GROUP_CREATE).req(req).group(group).name("Family");
        for (long member : members) {
            frame.addMember(member);
        }
        return frame;
    }

    /** Alice creates g1 with {@code members}; she and Bob (online) see it. */
    static void createG1(TestClient alice, TestClient bob, long... members) {
        alice.send(create(1, "g1", members));
        expectResult(alice, 1);
        expectEvent(alice, GroupEventKind.ADDED);
        expectEvent(bob, GroupEventKind.ADDED);
    }

    static Frame members(FrameType type, long req, String group, long... members) {
        Frame frame = new Frame().reset(type).req(req).group(group);
        for (long member : members) {
            frame.addMember(member);
        }
        return frame;
    }

    static Frame groupSend(long id, String group, String text) {
        return new Frame()
                .reset(FrameType.SEND)
                .id(id)
                .toGroup(group)
                .addEnvelope(0, EnvelopeType.SKMSG, text.getBytes(StandardCharsets.UTF_8));
    }

    static Frame read(long from, int device, long id) {
        return new Frame().reset(FrameType.READ).from(from, device).addId(id);
    }

    static void expectResult(TestClient client, long req) {
        Frame result = client.expect(FrameType.RESULT);
        assertThat(result.req()).isEqualTo(req);
        assertThat(result.ok()).as(result.toString()).isTrue();
    }

    static Frame expectEvent(TestClient client, GroupEventKind kind) {
        Frame event = client.expect(FrameType.GROUP_EVENT);
        assertThat(event.event()).isEqualTo(kind);
        return event;
    }

    /** The refusal protocol.md promises ({@code error}), then the {@code result} that names the request. */
    static void expectRefused(TestClient client, long req, ErrorCode code) {
        assertThat(client.expect(FrameType.ERROR).code()).isEqualTo(code);
        Frame result = client.expect(FrameType.RESULT);
        assertThat(result.req()).isEqualTo(req);
        assertThat(result.ok()).isFalse();
        assertThat(result.code()).isEqualTo(code);
    }

    static String body(Frame msg) {
        return new String(msg.envelopeBody(0), StandardCharsets.UTF_8);
    }

    @Test
    void shouldCreateAGroupTellEveryMemberAndAnswerInfo() {
        String[] tokens = {server.register(ALICE, 1), server.register(BOB, 1), server.register(CAROL, 1)};
        try (TestClient alice = server.session(ALICE, 1, tokens[0]);
                TestClient bob = server.session(BOB, 1, tokens[1]);
                TestClient carol = server.session(CAROL, 1, tokens[2])) {
            alice.send(create(1, "g1", BOB, CAROL));
            expectResult(alice, 1);
            for (TestClient member : List.of(alice, bob, carol)) {
                Frame event = expectEvent(member, GroupEventKind.ADDED);
                assertThat(event.group().toString()).isEqualTo("g1");
                assertThat(event.by()).isEqualTo(ALICE);
                assertThat(event.members().toLongArray()).containsExactly(ALICE, BOB, CAROL);
            }
            bob.send(new Frame().reset(FrameType.GROUP_INFO).req(2).group("g1"));
            Frame info = bob.expect(FrameType.RESULT);
            assertThat(info.req()).isEqualTo(2);
            assertThat(info.members().toLongArray()).containsExactly(ALICE, BOB, CAROL);
            assertThat(info.admins().toLongArray()).containsExactly(ALICE);
        }
    }

    @Test
    void shouldFanOutOneMessageAndAggregateDeliveredAndReadReceipts() {
        String aliceToken = server.register(ALICE, 1);
        String alice2Token = server.link(ALICE, aliceToken, 2);
        String bobToken = server.register(BOB, 1);
        String bob2Token = server.link(BOB, bobToken, 2);
        String carolToken = server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient alice2 = server.session(ALICE, 2, alice2Token);
                TestClient bob = server.session(BOB, 1, bobToken);
                TestClient bob2 = server.session(BOB, 2, bob2Token);
                TestClient carol = server.session(CAROL, 1, carolToken)) {
            alice.send(create(1, "g1", BOB, CAROL));
            expectResult(alice, 1);
            for (TestClient client : List.of(alice, alice2, bob, bob2, carol)) {
                expectEvent(client, GroupEventKind.ADDED);
            }

            alice.send(groupSend(8, "g1", "hello all"));
            Frame ack = alice.expect(FrameType.ACK);
            assertThat(ack.id()).isEqualTo(8);
            List<Frame> msgs = new ArrayList<>();
            for (TestClient client : List.of(alice2, bob, bob2, carol)) {
                Frame msg = client.expect(FrameType.MSG);
                assertThat(msg.group().toString()).isEqualTo("g1");
                assertThat(msg.id()).isEqualTo(8);
                assertThat(msg.fromUser()).isEqualTo(ALICE);
                assertThat(msg.fromDevice()).isEqualTo(1);
                assertThat(msg.envelopeType(0)).isEqualTo(EnvelopeType.SKMSG);
                assertThat(body(msg)).isEqualTo("hello all");
                assertThat(msg.ts()).isEqualTo(ack.ts());
                msgs.add(msg);
            }
            expectNothing(alice);

            // Delivered only once every device of every other member acknowledged.
            alice2.send(recv(msgs.get(0).seq()));
            bob.send(recv(msgs.get(1).seq()));
            carol.send(recv(msgs.get(3).seq()));
            // Each recv has reached its owner before Alice's fence starts: a receipt one caused comes first.
            for (TestClient client : List.of(alice2, bob, carol)) {
                expectNothing(client);
            }
            expectNothing(alice);
            bob2.send(recv(msgs.get(2).seq()));
            Frame delivered = alice.expect(FrameType.RECEIPT);
            assertThat(delivered.id()).isEqualTo(8);
            assertThat(delivered.toGroup().toString()).isEqualTo("g1");
            assertThat(delivered.kind()).isEqualTo(ReceiptKind.DELIVERED);

            // Read only once every other member read it.
            bob.send(read(ALICE, 1, 8));
            expectNothing(bob);
            expectNothing(alice);
            carol.send(read(ALICE, 1, 8));
            Frame read = alice.expect(FrameType.RECEIPT);
            assertThat(read.id()).isEqualTo(8);
            assertThat(read.toGroup().toString()).isEqualTo("g1");
            assertThat(read.kind()).isEqualTo(ReceiptKind.READ);
            expectNothing(alice);
        }
    }

    @Test
    void shouldQueueForAnOfflineMemberAndKeepTheReceiptForAnOfflineSender() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            createG1(alice, bob, BOB, CAROL);
            alice.send(groupSend(8, "g1", "while you were away"));
            alice.expect(FrameType.ACK);
            bob.send(recv(bob.expect(FrameType.MSG).seq()));
            expectNothing(bob);
            expectNothing(alice);
        }
        try (TestClient carol = server.session(CAROL, 1, carolToken)) {
            Frame msg = carol.expect(FrameType.MSG);
            assertThat(body(msg)).isEqualTo("while you were away");
            carol.send(recv(msg.seq()));
            carol.send(new Frame().reset(FrameType.PING));
            carol.expect(FrameType.PONG);
        }
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            Frame delivered = alice.expect(FrameType.RECEIPT);
            assertThat(delivered.kind()).isEqualTo(ReceiptKind.DELIVERED);
            assertThat(delivered.toGroup().toString()).isEqualTo("g1");
        }
    }

    @Test
    void shouldRefuseNonMembersNonAdminsUnknownGroupsAndTooManyMembers() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        server.register(CAROL, 1);
        String daveToken = server.register(DAVE, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken);
                TestClient dave = server.session(DAVE, 1, daveToken)) {
            createG1(alice, bob, BOB);

            dave.send(groupSend(5, "g1", "let me in"));
            Frame notMember = dave.expect(FrameType.ERROR);
            assertThat(notMember.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(notMember.id()).isEqualTo(5);

            bob.send(members(FrameType.GROUP_ADD, 2, "g1", CAROL));
            expectRefused(bob, 2, ErrorCode.FORBIDDEN);
            bob.send(members(FrameType.GROUP_REMOVE, 3, "g1", ALICE));
            expectRefused(bob, 3, ErrorCode.FORBIDDEN);
            dave.send(new Frame().reset(FrameType.GROUP_INFO).req(4).group("g1"));
            expectRefused(dave, 4, ErrorCode.FORBIDDEN);
            dave.send(create(5, "g1", ALICE));
            expectRefused(dave, 5, ErrorCode.FORBIDDEN);

            dave.send(groupSend(6, "nope", "anyone?"));
            assertThat(dave.expect(FrameType.ERROR).code()).isEqualTo(ErrorCode.UNKNOWN_RECIPIENT);
            alice.send(members(FrameType.GROUP_ADD, 7, "g1", 12345));
            expectRefused(alice, 7, ErrorCode.UNKNOWN_RECIPIENT);
            Frame tooBig = create(8, "g2");
            for (long user = 5000; user < 5000 + 1024; user++) {
                tooBig.addMember(user);
            }
            alice.send(tooBig);
            Frame error = alice.expect(FrameType.ERROR);
            assertThat(error.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(error.message().toString()).isEqualTo("a group has at most 1024 members");
            alice.expect(FrameType.RESULT);
            expectNothing(alice);
            expectNothing(bob);
        }
    }

    @Test
    void shouldGiveLateMembersNoEarlierMessagesAndRemovedMembersNoLaterOnes() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken);
                TestClient carol = server.session(CAROL, 1, carolToken)) {
            createG1(alice, bob, BOB);
            alice.send(groupSend(1, "g1", "before carol"));
            alice.expect(FrameType.ACK);
            bob.send(recv(bob.expect(FrameType.MSG).seq()));
            assertThat(alice.expect(FrameType.RECEIPT).kind()).isEqualTo(ReceiptKind.DELIVERED);

            alice.send(members(FrameType.GROUP_ADD, 2, "g1", CAROL));
            expectResult(alice, 2);
            for (TestClient client : List.of(alice, bob, carol)) {
                assertThat(expectEvent(client, GroupEventKind.ADDED).members().toLongArray())
                        .containsExactly(CAROL);
            }
            expectNothing(carol);

            alice.send(members(FrameType.GROUP_REMOVE, 3, "g1", BOB));
            expectResult(alice, 3);
            for (TestClient client : List.of(alice, bob, carol)) {
                Frame event = expectEvent(client, GroupEventKind.REMOVED);
                assertThat(event.members().toLongArray()).containsExactly(BOB);
                assertThat(event.by()).isEqualTo(ALICE);
            }
            // Bob's part no longer holds back the read receipt of what he had not read.
            Frame read = alice.expect(FrameType.RECEIPT);
            assertThat(read.id()).isEqualTo(1);
            assertThat(read.kind()).isEqualTo(ReceiptKind.READ);
            alice.send(groupSend(2, "g1", "after bob"));
            alice.expect(FrameType.ACK);
            assertThat(body(carol.expect(FrameType.MSG))).isEqualTo("after bob");
            expectNothing(bob);
            bob.send(groupSend(9, "g1", "still here?"));
            assertThat(bob.expect(FrameType.ERROR).code()).isEqualTo(ErrorCode.FORBIDDEN);
        }
    }

    @Test
    void shouldDropALeaversPendingMessagesAndStillCompleteTheReceipts() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            createG1(alice, bob, BOB, CAROL);
            alice.send(groupSend(1, "g1", "carol is offline"));
            alice.expect(FrameType.ACK);
            Frame msg = bob.expect(FrameType.MSG);
            bob.send(recv(msg.seq()));
            bob.send(read(ALICE, 1, 1));
            expectNothing(bob);
            expectNothing(alice);

            try (TestClient carol = server.connect()) {
                // Carol leaves from a fresh session without reading her queue: the server drops what was pending.
                carol.send(
                        new Frame().reset(FrameType.HELLO).user(CAROL).device(1).token(carolToken));
                carol.expect(FrameType.WELCOME);
                carol.expect(FrameType.MSG);
                carol.send(new Frame().reset(FrameType.GROUP_LEAVE).req(2).group("g1"));
                expectResult(carol, 2);
                assertThat(expectEvent(carol, GroupEventKind.LEFT).by()).isEqualTo(CAROL);
            }
            expectEvent(bob, GroupEventKind.LEFT);
            Frame left = expectEvent(alice, GroupEventKind.LEFT);
            assertThat(left.members().toLongArray()).containsExactly(CAROL);
            Frame delivered = alice.expect(FrameType.RECEIPT);
            assertThat(delivered.kind()).isEqualTo(ReceiptKind.DELIVERED);
            assertThat(alice.expect(FrameType.RECEIPT).kind()).isEqualTo(ReceiptKind.READ);
        }
        try (TestClient carol = server.session(CAROL, 1, carolToken)) {
            expectNothing(carol);
        }
    }

    @Test
    @Tag("slow") // about 13 s per routing on 2 cores: ./mvnw verify -Pslow and .ci/run run it
    void shouldAggregateTheReceiptsOfAThousandAndTwentyFourMembersSomeOffline() {
        // What this tests is the shard's delivery list, which no codec reaches: once per routing keeps the suite short.
        assumeTrue(codec == WireCodec.BINARY, "runs with the binary codec only");
        int size = 1024;
        long first = 1000;
        // A thousand registrations from one address are an operator's bulk load, not a client's: no per-address limit.
        // Alice's connection is fenced a thousand times, each with a presence subscription per shard (expectNothing):
        // no subscription limit either.
        server.close();
        Map<String, Object> noLimits = new HashMap<>(settings());
        noLimits.put("limits.registrations.perMinute", 0);
        noLimits.put("limits.subscriptions.perSecond", 0);
        server = TestServer.start(routing(), data, noLimits);
        String aliceToken = server.register(ALICE, 1);
        String[] tokens = new String[size - 1];
        Frame create = create(1, "big");
        for (int i = 0; i < size - 1; i++) {
            tokens[i] = server.register(first + i, 1);
            create.addMember(first + i);
        }
        int online = 16;
        List<TestClient> clients = new ArrayList<>();
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            for (int i = 0; i < online; i++) {
                clients.add(server.session(first + i, 1, tokens[i]));
            }
            alice.send(create);
            expectResult(alice, 1);
            expectEvent(alice, GroupEventKind.ADDED);
            alice.send(groupSend(1, "big", "to everyone"));
            alice.expect(FrameType.ACK);
            for (TestClient client : clients) {
                expectEvent(client, GroupEventKind.ADDED);
                client.send(recv(client.expect(FrameType.MSG).seq()));
            }
            clients.forEach(this::expectNothing);
            expectNothing(alice);
            // The offline members come back one by one; the last one's recv completes the list.
            for (int i = online; i < size - 1; i++) {
                try (TestClient member = server.session(first + i, 1, tokens[i])) {
                    Frame msg = member.expect(FrameType.MSG);
                    assertThat(msg.group().toString()).isEqualTo("big");
                    member.send(recv(msg.seq()));
                    member.send(read(ALICE, 1, 1));
                    expectNothing(member);
                }
                if (i == size - 2) {
                    break;
                }
                expectNothing(alice);
            }
            assertThat(alice.expect(FrameType.RECEIPT).kind()).isEqualTo(ReceiptKind.DELIVERED);
            for (TestClient client : clients) {
                client.send(read(ALICE, 1, 1));
            }
            assertThat(alice.expect(FrameType.RECEIPT).kind()).isEqualTo(ReceiptKind.READ);
        } finally {
            clients.forEach(TestClient::close);
        }
    }

    @Test
    void shouldKeepGroupsPendingGroupMessagesAndDeliveryListsAcrossARestart() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            createG1(alice, bob, BOB, CAROL);
            alice.send(groupSend(1, "g1", "one"));
            alice.send(groupSend(2, "g1", "two"));
            assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(1);
            assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(2);
            bob.send(recv(bob.expect(FrameType.MSG).seq()));
            assertThat(bob.expect(FrameType.MSG).id()).isEqualTo(2);
            // Answered by the owner of Bob's state once it has the recv before it.
            bob.send(new Frame().reset(FrameType.SUB).user(BOB));
            bob.expect(FrameType.PRESENCE);
        }
        server.close();
        server = TestServer.start(routing(), data, settings());

        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            // Bob acknowledged "one" before the restart; "two" was only sent to him: it comes again.
            Frame again = bob.expect(FrameType.MSG);
            assertThat(again.id()).isEqualTo(2);
            assertThat(again.group().toString()).isEqualTo("g1");
            bob.send(recv(again.seq()));
            bob.send(new Frame().reset(FrameType.GROUP_INFO).req(5).group("g1"));
            Frame info = bob.expect(FrameType.RESULT);
            assertThat(info.members().toLongArray()).containsExactly(ALICE, BOB, CAROL);
            assertThat(info.admins().toLongArray()).containsExactly(ALICE);
        }
        try (TestClient carol = server.session(CAROL, 1, carolToken)) {
            for (String text : List.of("one", "two")) {
                Frame msg = carol.expect(FrameType.MSG);
                assertThat(body(msg)).isEqualTo(text);
                carol.send(recv(msg.seq()));
            }
            carol.send(new Frame().reset(FrameType.PING));
            carol.expect(FrameType.PONG);
        }
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            for (long id = 1; id <= 2; id++) {
                Frame delivered = alice.expect(FrameType.RECEIPT);
                assertThat(delivered.id()).isEqualTo(id);
                assertThat(delivered.kind()).isEqualTo(ReceiptKind.DELIVERED);
            }
            // De-duplication survives too: a repeat is acknowledged again and not delivered.
            alice.send(groupSend(2, "g1", "two"));
            assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(2);
            alice.send(groupSend(3, "g1", "three"));
            assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(3);
        }
        try (TestClient carol = server.session(CAROL, 1, carolToken)) {
            assertThat(body(carol.expect(FrameType.MSG))).isEqualTo("three");
            expectNothing(carol);
        }
    }

    @Test
    void shouldFanOutTheStoredCopyAgainWhenNoQueueEntryWasJournaledBeforeARestart() {
        // durability offline journals no queue entry for members online at the time: only the stored copy.
        Map<String, Object> offline = Map.of("journal.durability", "offline");
        server.close();
        server = TestServer.start(routing(), data, offline);
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            createG1(alice, bob, BOB);
            alice.send(groupSend(1, "g1", "unacknowledged"));
            alice.expect(FrameType.ACK);
            bob.expect(FrameType.MSG);
        }
        server.close();
        server = TestServer.start(routing(), data, offline);
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            Frame again = bob.expect(FrameType.MSG);
            assertThat(body(again)).isEqualTo("unacknowledged");
            bob.send(recv(again.seq()));
        }
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            assertThat(alice.expect(FrameType.RECEIPT).kind()).isEqualTo(ReceiptKind.DELIVERED);
        }
    }

    @Test
    void shouldLimitTheGroupsAUserIsInAcrossOwnersAndRestarts() {
        Map<String, Object> two = Map.of("router.maxGroupsPerUser", 2);
        server.close();
        server = TestServer.start(routing(), data, two);
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken);
                TestClient carol = server.session(CAROL, 1, carolToken)) {
            createG1(alice, bob, BOB);
            alice.send(create(2, "g2", BOB));
            expectResult(alice, 2);
            expectEvent(alice, GroupEventKind.ADDED);
            expectEvent(bob, GroupEventKind.ADDED);

            carol.send(create(3, "g3", BOB));
            assertThat(carol.expect(FrameType.ERROR).message().toString()).isEqualTo("user 99 is in 2 groups already");
            Frame refused = carol.expect(FrameType.RESULT);
            assertThat(refused.ok()).isFalse();
            assertThat(refused.code()).isEqualTo(ErrorCode.FORBIDDEN);
            carol.send(new Frame().reset(FrameType.GROUP_INFO).req(4).group("g3"));
            expectRefused(carol, 4, ErrorCode.UNKNOWN_RECIPIENT);
            expectNothing(bob);

            bob.send(new Frame().reset(FrameType.GROUP_LEAVE).req(5).group("g1"));
            expectResult(bob, 5);
            expectEvent(bob, GroupEventKind.LEFT);
            expectEvent(alice, GroupEventKind.LEFT);
            carol.send(create(6, "g3", BOB));
            expectResult(carol, 6);
        }
        server.close();
        server = TestServer.start(routing(), data, two);
        try (TestClient carol = server.session(CAROL, 1, carolToken)) {
            // Bob is in g2 and g3 again after the restart: still at the limit.
            carol.send(create(7, "g4", BOB));
            assertThat(carol.expect(FrameType.ERROR).code()).isEqualTo(ErrorCode.FORBIDDEN);
        }
    }

    @Test
    void shouldRelayTypingInAGroupToTheOtherMembersOnly() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(CAROL, 1);
        String daveToken = server.register(DAVE, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken);
                TestClient carol = server.session(CAROL, 1, carolToken);
                TestClient dave = server.session(DAVE, 1, daveToken)) {
            createG1(alice, bob, BOB, CAROL);
            expectEvent(carol, GroupEventKind.ADDED);
            alice.send(new Frame().reset(FrameType.TYPING).toGroup("g1").on(true));
            for (TestClient member : List.of(bob, carol)) {
                Frame typing = member.expect(FrameType.TYPING);
                assertThat(typing.fromUser()).isEqualTo(ALICE);
                assertThat(typing.on()).isTrue();
            }
            dave.send(new Frame().reset(FrameType.TYPING).toGroup("g1").on(true));
            // Ignored, but it has reached the group's owner before the fences of the members start.
            expectNothing(dave);
            expectNothing(alice);
            expectNothing(bob);
        }
    }
}
