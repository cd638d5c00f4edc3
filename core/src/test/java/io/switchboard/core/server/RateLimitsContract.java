package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.GroupEventKind;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * protocol.md's Limits over real sockets: a client over a rate gets {@code rate-limited} with {@code retryAfterMs}
 * (HTTP: 429 with {@code Retry-After}), what it sent is not applied, and other clients go on as before. The limits are
 * set low here so that a test reaches them in a few frames.
 */
@Timeout(60)
abstract class RateLimitsContract extends ServerContract {
    private static final int TYPING_BURST = 5;
    private static final int SEND_BURST = 3;
    private static final int GROUP_CHANGE_BURST = 16;
    private static final int GROUP_EVENTS_BURST = 20;

    @Override
    Map<String, Object> settings() {
        return Map.of(
                "limits.typing.perSecond",
                1,
                "limits.typing.burst",
                TYPING_BURST,
                "limits.sends.perSecond",
                1,
                "limits.sends.burst",
                SEND_BURST,
                "limits.groupChanges.perSecond",
                1,
                "limits.groupChanges.burst",
                GROUP_CHANGE_BURST,
                "limits.groupEvents.perSecond",
                1,
                "limits.groupEvents.burst",
                GROUP_EVENTS_BURST);
    }

    private static Frame typing(long to) {
        return new Frame().reset(FrameType.TYPING).toUser(to).on(true);
    }

    private static void expectRateLimited(Frame error, long maxRetryAfterMs) {
        assertThat(error.type()).as(error.toString()).isEqualTo(FrameType.ERROR);
        assertThat(error.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(error.retryAfterMs()).isBetween(1L, maxRetryAfterMs);
    }

    /** A group request refused by a limit: the error names its {@code req}, then its result says so too. */
    private static void expectRequestRateLimited(TestClient client, long req, long maxRetryAfterMs) {
        Frame error = client.expect(FrameType.ERROR);
        expectRateLimited(error, maxRetryAfterMs);
        assertThat(error.hasReq()).isTrue();
        assertThat(error.req()).isEqualTo(req);
        Frame result = client.expect(FrameType.RESULT);
        assertThat(result.req()).isEqualTo(req);
        assertThat(result.ok()).isFalse();
        assertThat(result.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    }

    @Test
    void shouldRateLimitATypingFloodFromOneConnectionWhileAnotherConnectionsTypingFlows() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(GroupsContract.CAROL, 1);
        int flood = 20;
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken);
                TestClient carol = server.session(GroupsContract.CAROL, 1, carolToken)) {
            for (int i = 0; i < flood; i++) {
                alice.send(typing(BOB));
            }
            // The refusals come from Alice's own I/O loop, in order with the pong.
            alice.send(new Frame().reset(FrameType.PING));
            int refused = 0;
            for (Frame frame = alice.next(); frame.type() != FrameType.PONG; frame = alice.next()) {
                expectRateLimited(frame, 1000);
                assertThat(frame.hasId()).isFalse();
                refused++;
            }
            // At most one token can have come back while the flood was sent (one a second).
            assertThat(refused).isBetween(flood - TYPING_BURST - 1, flood - TYPING_BURST);
            for (int i = 0; i < flood - refused; i++) {
                assertThat(bob.expect(FrameType.TYPING).fromUser()).isEqualTo(ALICE);
            }

            carol.send(typing(BOB));
            assertThat(bob.expect(FrameType.TYPING).fromUser()).isEqualTo(GroupsContract.CAROL);
            expectNothing(bob);
            expectNothing(carol);
            assertThat(server.total(LoopCounter.REFUSED_TYPING)).isEqualTo(refused);
            assertThat(server.get("/metrics").body())
                    .containsPattern(
                            "switchboard_limits_refused_total\\{[^}]*kind=\"typing\"[^}]*} " + refused + "\\.0");
        }
    }

    @Test
    void shouldNeitherAckNorDeliverASendOverTheLimitAndAcceptItAfterRetryAfterMs() throws InterruptedException {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            for (int id = 1; id <= SEND_BURST + 1; id++) {
                alice.send(MessagingContract.send(id, BOB, "m" + id));
            }
            // Acks come from the recipient's owner, the refusal from Alice's I/O loop: in either order.
            List<Long> acked = new ArrayList<>();
            Frame refusal = null;
            while (acked.size() < SEND_BURST || refusal == null) {
                Frame frame = alice.next();
                if (frame.type() == FrameType.ACK) {
                    acked.add(frame.id());
                } else {
                    assertThat(refusal).as("one refusal only").isNull();
                    expectRateLimited(frame, 1000);
                    refusal = frame;
                }
            }
            assertThat(acked).containsExactly(1L, 2L, 3L);
            assertThat(refusal.id()).isEqualTo(SEND_BURST + 1);
            for (int id = 1; id <= SEND_BURST; id++) {
                assertThat(bob.expect(FrameType.MSG).id()).isEqualTo(id);
            }
            expectNothing(bob);
            expectNothing(alice);

            Thread.sleep(refusal.retryAfterMs());
            alice.send(MessagingContract.send(SEND_BURST + 1, BOB, "m4 again"));
            assertThat(alice.expect(FrameType.ACK).id()).isEqualTo(SEND_BURST + 1);
            Frame msg = bob.expect(FrameType.MSG);
            assertThat(msg.id()).isEqualTo(SEND_BURST + 1);
            assertThat(MessagingContract.body(msg)).isEqualTo("m4 again");
            assertThat(server.total(LoopCounter.REFUSED_SENDS)).isEqualTo(1);
        }
    }

    /**
     * A user's devices share a budget of {@code limits.perUserFactor} (2) times one connection's: three devices at
     * their own limit each would otherwise get three times the rate.
     */
    @Test
    void shouldRefuseSendsBeyondTheBudgetThatAllOfAUsersConnectionsShare() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        int[] devices = {1, 2, 3};
        String[] tokens = {aliceToken, server.link(ALICE, aliceToken, 2), server.link(ALICE, aliceToken, 3)};
        List<TestClient> clients = new ArrayList<>();
        try (TestClient bob = server.session(BOB, 1, bobToken)) {
            for (int i = 0; i < devices.length; i++) {
                clients.add(server.session(ALICE, devices[i], tokens[i]));
            }
            int acked = 0;
            int refusedByUser = 0;
            for (TestClient device : clients) {
                for (int id = 1; id <= SEND_BURST; id++) {
                    device.send(MessagingContract.send(id, BOB, "m" + id));
                }
                for (int answers = 0; answers < SEND_BURST; answers++) {
                    Frame frame = device.next();
                    if (frame.type() == FrameType.ACK) {
                        acked++;
                    } else {
                        expectRateLimited(frame, 1000);
                        assertThat(frame.message().toString()).contains("this user's devices together");
                        refusedByUser++;
                    }
                }
            }
            // Within a second a token or two come back (2/s for the user): the third device's burst cannot all pass.
            assertThat(refusedByUser).isPositive();
            assertThat(acked).isLessThanOrEqualTo(2 * SEND_BURST + 2);
            assertThat(server.total(LoopCounter.REFUSED_SENDS)).isEqualTo(refusedByUser);
        } finally {
            clients.forEach(TestClient::close);
        }
    }

    @Test
    void shouldRefuseAGroupCreateBeyondTheGroupChangeBudgetAndCreateNothing() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        long[] many = new long[GROUP_CHANGE_BURST - 1];
        many[0] = BOB;
        for (int i = 1; i < many.length; i++) {
            many[i] = 1000 + i;
            server.register(many[i], 1);
        }
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            // Two members with the creator: 2 of the 16 the budget holds.
            alice.send(GroupsContract.create(1, "small", BOB));
            GroupsContract.expectResult(alice, 1);
            GroupsContract.expectEvent(alice, GroupEventKind.ADDED);
            GroupsContract.expectEvent(bob, GroupEventKind.ADDED);

            // Fifteen and the creator: 16, more than the 14 left.
            alice.send(GroupsContract.create(2, "big", many));
            expectRequestRateLimited(alice, 2, GROUP_CHANGE_BURST * 1000L);

            alice.send(new Frame().reset(FrameType.GROUP_INFO).req(3).group("big"));
            GroupsContract.expectRefused(alice, 3, ErrorCode.UNKNOWN_RECIPIENT);
            expectNothing(bob);
            assertThat(server.total(LoopCounter.REFUSED_GROUP_CHANGES)).isEqualTo(1);
        }
    }

    private static void expectChanged(TestClient admin, long req, GroupEventKind kind, TestClient member) {
        GroupsContract.expectResult(admin, req);
        GroupsContract.expectEvent(admin, kind);
        GroupsContract.expectEvent(member, kind);
    }

    @Test
    void shouldRefuseAnAddAndRemoveLoopAtTheGroupsBudgetWhileAnotherGroupChanges() {
        long carol = GroupsContract.CAROL;
        long dave = GroupsContract.DAVE;
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(carol, 1);
        server.register(dave, 1);
        long[] members = {BOB, 1001, 1002, 1003, 1004, 1005, 1006};
        for (int i = 1; i < members.length; i++) {
            server.register(members[i], 1);
        }
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken);
                TestClient carolClient = server.session(carol, 1, carolToken)) {
            alice.send(GroupsContract.create(1, "big", members));
            expectChanged(alice, 1, GroupEventKind.ADDED, bob);
            // Eight members: adding Dave tells nine, removing him tells nine; the group's 20 hold two such changes.
            // Each costs Alice's connection only the one member it names.
            alice.send(GroupsContract.members(FrameType.GROUP_ADD, 2, "big", dave));
            expectChanged(alice, 2, GroupEventKind.ADDED, bob);
            alice.send(GroupsContract.members(FrameType.GROUP_REMOVE, 3, "big", dave));
            expectChanged(alice, 3, GroupEventKind.REMOVED, bob);
            alice.send(GroupsContract.members(FrameType.GROUP_ADD, 4, "big", dave));
            expectRequestRateLimited(alice, 4, GROUP_EVENTS_BURST * 1000L);

            carolClient.send(GroupsContract.create(1, "carols", BOB));
            expectChanged(carolClient, 1, GroupEventKind.ADDED, bob);
            carolClient.send(GroupsContract.members(FrameType.GROUP_ADD, 2, "carols", dave));
            expectChanged(carolClient, 2, GroupEventKind.ADDED, bob);

            alice.send(new Frame().reset(FrameType.GROUP_INFO).req(5).group("big"));
            Frame info = alice.expect(FrameType.RESULT);
            assertThat(info.members().toLongArray()).doesNotContain(dave).hasSize(members.length + 1);
            expectNothing(bob);
            assertThat(server.total(ShardCounter.REFUSED_GROUP_EVENTS)).isEqualTo(1);
            assertThat(server.get("/metrics").body())
                    .containsPattern("switchboard_limits_refused_total\\{kind=\"group-events\"[^}]*} 1\\.0");
        }
    }

    @Test
    void shouldAnswerARegistrationFloodFromOneAddressWith429AndRetryAfterWhileAnotherAddressRegisters()
            throws IOException {
        server.close();
        int burst = 3;
        server = TestServer.start(
                routing(), data, Map.of("limits.registrations.perMinute", 6, "limits.registrations.burst", burst));
        int flood = 20;
        List<Long> refusedUsers = new ArrayList<>();
        for (long user = 1; user <= flood; user++) {
            HttpResponse<String> response = server.post("/v1/accounts", "{\"user\":" + user + ",\"device\":1}");
            if (response.statusCode() == 429) {
                long retryAfterSeconds = Long.parseLong(
                        response.headers().firstValue("Retry-After").orElseThrow());
                assertThat(retryAfterSeconds).isBetween(1L, 10L);
                assertThat(TestServer.json(response.body()).path("error").asText())
                        .isEqualTo("rate-limited");
                assertThat(TestServer.json(response.body()).path("retryAfterMs").asLong())
                        .isBetween(1L, 10_000L);
                refusedUsers.add(user);
            } else {
                assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            }
        }
        // Each I/O loop keeps its own buckets: an address whose connections land on both gets twice the burst.
        assertThat(flood - refusedUsers.size()).isBetween(burst, 2 * burst);

        long refusedUser = refusedUsers.get(0);
        String answer = postFrom(InetAddress.getByName("127.0.0.2"), "{\"user\":" + refusedUser + ",\"device\":1}");
        assertThat(answer)
                .as("another address, and the refused account was never made")
                .startsWith("HTTP/1.1 201");
        assertThat(server.total(LoopCounter.REFUSED_REGISTRATIONS)).isEqualTo(refusedUsers.size());
    }

    /** {@code POST /v1/accounts} over a socket bound to {@code source}; returns the whole response. */
    private String postFrom(InetAddress source, String body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            socket.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/accounts HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: "
                            + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
