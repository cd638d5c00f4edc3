package io.switchboard.core.server;

import static io.switchboard.core.server.GroupsContract.create;
import static io.switchboard.core.server.GroupsContract.expectEvent;
import static io.switchboard.core.server.GroupsContract.expectRefused;
import static io.switchboard.core.server.GroupsContract.expectResult;
import static io.switchboard.core.server.GroupsContract.members;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.GroupEventKind;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Group privacy (docs/protocol-notes.md, an extension of protocol.md) over real sockets: a user's setting of who may
 * add them to a group, the contact list it consults, invites made instead of adds, and joining by accepting one. Alice
 * and Bob are on different shards, so every check and invite crosses owners.
 */
@Timeout(60)
abstract class GroupPrivacyContract extends ServerContract {
    static final long CAROL = GroupsContract.CAROL;
    static final long DAVE = GroupsContract.DAVE;

    @Override
    Map<String, Object> settings() {
        return aliceAndBobApart();
    }

    /** Stops the server and starts another on the same data with {@code more} settings besides the class's. */
    private void restartWith(Object... more) {
        server.close();
        Map<String, Object> settings = aliceAndBobApart(more);
        server = TestServer.start(routing(), data, settings);
    }

    private void groupAdd(String token, String setting) {
        HttpResponse<String> response =
                server.put("/v1/settings/privacy", "{\"groupAdd\":\"" + setting + "\"}", TestServer.bearer(token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private void contacts(String token, long... users) {
        HttpResponse<String> response = server.put("/v1/contacts", usersJson(users), TestServer.bearer(token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
    }

    private static String usersJson(long... users) {
        return LongStream.of(users).mapToObj(Long::toString).collect(Collectors.joining(",", "{\"users\":[", "]}"));
    }

    private static Frame join(long req, String group, String code) {
        return new Frame().reset(FrameType.GROUP_JOIN).req(req).group(group).invite(code);
    }

    /** A successful result that invited exactly {@code invited} instead of adding them. */
    private static void expectInvited(TestClient client, long req, long... invited) {
        Frame result = client.expect(FrameType.RESULT);
        assertThat(result.req()).isEqualTo(req);
        assertThat(result.ok()).as(result.toString()).isTrue();
        assertThat(result.invited().toLongArray()).as(result.toString()).containsExactly(invited);
    }

    /** The invite {@code by} made to {@code group}; returns its code. */
    private static String expectInvite(TestClient client, String group, long by) {
        Frame invite = client.expect(FrameType.GROUP_INVITE);
        assertThat(invite.group().toString()).isEqualTo(group);
        assertThat(invite.by()).isEqualTo(by);
        assertThat(invite.expiresAt()).isGreaterThan(System.currentTimeMillis());
        assertThat(invite.invite().length()).isPositive();
        return invite.invite().toString();
    }

    /** {@code leaver} leaves g1 with request {@code req}; it and every member in {@code others} hear of it. */
    private static void leaveG1(TestClient leaver, long req, TestClient... others) {
        leaver.send(new Frame().reset(FrameType.GROUP_LEAVE).req(req).group("g1"));
        expectResult(leaver, req);
        expectEvent(leaver, GroupEventKind.LEFT);
        for (TestClient other : others) {
            expectEvent(other, GroupEventKind.LEFT);
        }
    }

    private static long[] info(TestClient client, long req, String group) {
        client.send(new Frame().reset(FrameType.GROUP_INFO).req(req).group(group));
        Frame info = client.expect(FrameType.RESULT);
        assertThat(info.ok()).as(info.toString()).isTrue();
        return info.members().toLongArray();
    }

    /** Registers Alice, Bob and Carol, Bob letting nobody add him; returns their tokens in that order. */
    private String[] registerWithBobRefusingAdds() {
        String[] tokens = {server.register(ALICE, 1), server.register(BOB, 1), server.register(CAROL, 1)};
        groupAdd(tokens[1], "nobody");
        return tokens;
    }

    /** Alice creates g1 with Bob and Carol; Bob, who lets nobody add him, is invited. Returns his invite's code. */
    private static String createG1InvitingBob(TestClient alice, TestClient bob, TestClient carol) {
        alice.send(create(1, "g1", BOB, CAROL));
        expectInvited(alice, 1, BOB);
        for (TestClient member : List.of(alice, carol)) {
            assertThat(expectEvent(member, GroupEventKind.ADDED).members().toLongArray())
                    .containsExactly(ALICE, CAROL);
        }
        return expectInvite(bob, "g1", ALICE);
    }

    @Test
    void shouldInviteInsteadOfAddingAUserWhoLetsNobodyAddThem() {
        String[] tokens = registerWithBobRefusingAdds();
        try (TestClient alice = server.session(ALICE, 1, tokens[0]);
                TestClient bob = server.session(BOB, 1, tokens[1]);
                TestClient carol = server.session(CAROL, 1, tokens[2])) {
            createG1InvitingBob(alice, bob, carol);

            assertThat(info(alice, 2, "g1")).containsExactly(ALICE, CAROL);
            expectNothing(bob);
        }
    }

    @Test
    void shouldLetOnlyAContactAddAUserWhoseSettingIsContacts() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(CAROL, 1);
        groupAdd(bobToken, "contacts");
        contacts(bobToken, CAROL);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken);
                TestClient carol = server.session(CAROL, 1, carolToken)) {
            alice.send(create(1, "g1", CAROL));
            expectResult(alice, 1);
            expectEvent(alice, GroupEventKind.ADDED);
            expectEvent(carol, GroupEventKind.ADDED);
            alice.send(members(FrameType.GROUP_ADD, 2, "g1", BOB));
            expectInvited(alice, 2, BOB);
            expectInvite(bob, "g1", ALICE);

            carol.send(create(3, "g2", BOB));

            expectInvited(carol, 3);
            for (TestClient member : List.of(bob, carol)) {
                Frame added = expectEvent(member, GroupEventKind.ADDED);
                assertThat(added.group().toString()).isEqualTo("g2");
                assertThat(added.members().toLongArray()).containsExactly(BOB, CAROL);
            }
            assertThat(info(alice, 4, "g1")).containsExactly(ALICE, CAROL);
        }
    }

    /** An invited user whom an admin in their contacts then adds is a member: their devices stop getting the invite. */
    @Test
    void shouldForgetTheInviteOfAUserAddedByAContact() {
        String[] tokens = {server.register(ALICE, 1), server.register(BOB, 1), server.register(CAROL, 1)};
        groupAdd(tokens[1], "contacts");
        contacts(tokens[1], ALICE);
        try (TestClient alice = server.session(ALICE, 1, tokens[0]);
                TestClient carol = server.session(CAROL, 1, tokens[2])) {
            carol.send(create(1, "g1", ALICE));
            expectResult(carol, 1);
            expectEvent(carol, GroupEventKind.ADDED);
            expectEvent(alice, GroupEventKind.ADDED);
            carol.send(members(FrameType.GROUP_ADD, 2, "g1", BOB));
            expectInvited(carol, 2, BOB);
            carol.send(new Frame().reset(FrameType.GROUP_LEAVE).req(3).group("g1"));
            expectResult(carol, 3);
            expectEvent(carol, GroupEventKind.LEFT);
            expectEvent(alice, GroupEventKind.LEFT);

            alice.send(members(FrameType.GROUP_ADD, 4, "g1", BOB));

            expectInvited(alice, 4);
            expectEvent(alice, GroupEventKind.ADDED);
            try (TestClient bob = server.session(BOB, 1, tokens[1])) {
                expectNothing(bob);
            }
        }
    }

    @Test
    void shouldMakeAnInvitedUserAMemberOnceTheyAcceptAndUseTheInviteUp() {
        String[] tokens = registerWithBobRefusingAdds();
        try (TestClient alice = server.session(ALICE, 1, tokens[0]);
                TestClient bob = server.session(BOB, 1, tokens[1]);
                TestClient carol = server.session(CAROL, 1, tokens[2])) {
            String code = createG1InvitingBob(alice, bob, carol);

            bob.send(join(2, "g1", code));

            expectResult(bob, 2);
            for (TestClient member : List.of(alice, bob, carol)) {
                Frame added = expectEvent(member, GroupEventKind.ADDED);
                assertThat(added.by()).isEqualTo(ALICE);
                assertThat(added.members().toLongArray()).containsExactly(BOB);
            }
            assertThat(info(bob, 3, "g1")).containsExactly(ALICE, BOB, CAROL);

            bob.send(new Frame().reset(FrameType.GROUP_LEAVE).req(4).group("g1"));
            expectResult(bob, 4);
            for (TestClient member : List.of(alice, bob, carol)) {
                expectEvent(member, GroupEventKind.LEFT);
            }
            bob.send(join(5, "g1", code));
            expectRefused(bob, 5, ErrorCode.FORBIDDEN);
            assertThat(info(alice, 6, "g1")).containsExactly(ALICE, CAROL);
        }
    }

    @Test
    void shouldRefuseAForgedInviteAndOneWhoseAdminIsNoLongerAnAdmin() {
        String[] tokens = registerWithBobRefusingAdds();
        String daveToken = server.register(DAVE, 1);
        try (TestClient alice = server.session(ALICE, 1, tokens[0]);
                TestClient bob = server.session(BOB, 1, tokens[1]);
                TestClient carol = server.session(CAROL, 1, tokens[2]);
                TestClient dave = server.session(DAVE, 1, daveToken)) {
            String code = createG1InvitingBob(alice, bob, carol);

            bob.send(join(2, "g1", "AAAAAAAAAAAAAAAAAAAAAAAA"));
            expectRefused(bob, 2, ErrorCode.FORBIDDEN);
            dave.send(join(3, "g1", code));
            expectRefused(dave, 3, ErrorCode.FORBIDDEN);
            bob.send(join(4, "g2", code));
            expectRefused(bob, 4, ErrorCode.UNKNOWN_RECIPIENT);

            leaveG1(alice, 5, carol);
            bob.send(join(6, "g1", code));

            expectRefused(bob, 6, ErrorCode.FORBIDDEN);
            assertThat(info(carol, 7, "g1")).containsExactly(CAROL);
        }
    }

    @Test
    void shouldRefuseAnExpiredInvite() {
        restartWith("router.groupInviteExpiryMs", 300);
        String[] tokens = registerWithBobRefusingAdds();
        try (TestClient alice = server.session(ALICE, 1, tokens[0]);
                TestClient bob = server.session(BOB, 1, tokens[1])) {
            alice.send(create(1, "g1", BOB));
            expectInvited(alice, 1, BOB);
            expectEvent(alice, GroupEventKind.ADDED);
            Frame invite = bob.expect(FrameType.GROUP_INVITE);
            await().until(() -> System.currentTimeMillis() > invite.expiresAt());

            bob.send(join(2, "g1", invite.invite().toString()));

            expectRefused(bob, 2, ErrorCode.FORBIDDEN);
            assertThat(info(alice, 3, "g1")).containsExactly(ALICE);
        }
    }

    @Test
    void shouldSendAnInviteToAUserWhoWasOfflineWhenTheyConnect() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        groupAdd(bobToken, "nobody");
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            alice.send(create(1, "g1", BOB));
            expectInvited(alice, 1, BOB);
            expectEvent(alice, GroupEventKind.ADDED);
            expectNothing(alice);
            try (TestClient bob = server.session(BOB, 1, bobToken)) {
                String code = expectInvite(bob, "g1", ALICE);

                bob.send(join(2, "g1", code));

                expectResult(bob, 2);
                expectEvent(bob, GroupEventKind.ADDED);
                expectEvent(alice, GroupEventKind.ADDED);
            }
            try (TestClient bob = server.session(BOB, 1, bobToken)) {
                expectNothing(bob);
            }
        }
    }

    @Test
    void shouldKeepAPendingInviteValidAndAUsedOneVoidAcrossARestart() {
        String[] tokens = registerWithBobRefusingAdds();
        String daveToken = server.register(DAVE, 1);
        groupAdd(daveToken, "nobody");
        String bobCode;
        String daveCode;
        try (TestClient alice = server.session(ALICE, 1, tokens[0]);
                TestClient carol = server.session(CAROL, 1, tokens[2]);
                TestClient dave = server.session(DAVE, 1, daveToken)) {
            try (TestClient bob = server.session(BOB, 1, tokens[1])) {
                bobCode = createG1InvitingBob(alice, bob, carol);
            }
            alice.send(members(FrameType.GROUP_ADD, 2, "g1", DAVE));
            expectInvited(alice, 2, DAVE);
            daveCode = expectInvite(dave, "g1", ALICE);
            dave.send(join(3, "g1", daveCode));
            expectResult(dave, 3);
            expectEvent(dave, GroupEventKind.ADDED);
        }

        restart();

        try (TestClient alice = server.session(ALICE, 1, tokens[0]);
                TestClient bob = server.session(BOB, 1, tokens[1]);
                TestClient dave = server.session(DAVE, 1, daveToken)) {
            assertThat(expectInvite(bob, "g1", ALICE))
                    .as("the invite waits for Bob's session")
                    .isEqualTo(bobCode);
            // Dave used his before the restart: once he leaves, it does not let him back in.
            leaveG1(dave, 1, alice);
            dave.send(join(2, "g1", daveCode));
            expectRefused(dave, 2, ErrorCode.FORBIDDEN);
            expectNothing(dave);
            bob.send(join(1, "g1", bobCode));
            expectResult(bob, 1);
            expectEvent(bob, GroupEventKind.ADDED);
            expectEvent(alice, GroupEventKind.ADDED);
            assertThat(info(alice, 2, "g1")).containsExactly(ALICE, BOB, CAROL);
        }
    }

    @Test
    void shouldKeepTheSettingAndContactsAcrossARestart() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        groupAdd(bobToken, "contacts");
        contacts(bobToken, CAROL, 7);

        restart();

        HttpResponse<String> setting = server.get("/v1/settings/privacy", TestServer.bearer(bobToken));
        assertThat(TestServer.json(setting.body()).get("groupAdd").asText()).isEqualTo("contacts");
        HttpResponse<String> contacts = server.get("/v1/contacts", TestServer.bearer(bobToken));
        assertThat(contacts.body()).isEqualTo(usersJson(7, CAROL));
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            alice.send(create(1, "g1", BOB));
            expectInvited(alice, 1, BOB);
            expectInvite(bob, "g1", ALICE);
        }
    }

    @Test
    void shouldAnswerDefaultsAndRefuseBadPrivacyRequests() {
        String bobToken = server.register(BOB, 1);
        String[] bob = TestServer.bearer(bobToken);

        assertThat(server.get("/v1/settings/privacy", bob).body()).isEqualTo("{\"groupAdd\":\"everyone\"}");
        assertThat(server.get("/v1/contacts", bob).body()).isEqualTo("{\"users\":[]}");
        assertThat(server.get("/v1/contacts").statusCode()).isEqualTo(401);
        assertThat(server.put("/v1/settings/privacy", "{\"groupAdd\":\"nobody\"}", TestServer.bearer("forged"))
                        .statusCode())
                .isEqualTo(401);
        assertThat(server.put("/v1/settings/privacy", "{\"groupAdd\":\"friends\"}", bob)
                        .statusCode())
                .isEqualTo(400);
        assertThat(server.put("/v1/settings/privacy", "not json", bob).statusCode())
                .isEqualTo(400);
        long[] tooMany = LongStream.rangeClosed(1, 5_001).toArray();
        assertThat(server.put("/v1/contacts", usersJson(tooMany), bob).statusCode())
                .isEqualTo(400);
        assertThat(server.put("/v1/contacts", usersJson(0), bob).statusCode()).isEqualTo(400);
        assertThat(server.delete("/v1/contacts", bob).statusCode()).isEqualTo(405);
        assertThat(server.get("/v1/settings/privacy", bob).body()).isEqualTo("{\"groupAdd\":\"everyone\"}");
    }

    /** Each change forces accounts.log with up to 5,000 contacts: a client changing them in a loop is refused. */
    @Test
    void shouldRateLimitPrivacyChangesPerAddress() {
        restartWith("limits.privacyChanges.perMinute", 1, "limits.privacyChanges.burst", 2, "transport.ioThreads", 1);
        String bobToken = server.register(BOB, 1);
        groupAdd(bobToken, "nobody");
        contacts(bobToken, CAROL);

        HttpResponse<String> refused =
                server.put("/v1/settings/privacy", "{\"groupAdd\":\"everyone\"}", TestServer.bearer(bobToken));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(TestServer.json(refused.body()).get("error").asText()).isEqualTo("rate-limited");
        assertThat(server.get("/v1/settings/privacy", TestServer.bearer(bobToken))
                        .body())
                .as("reads are not limited, and the refused change was not made")
                .isEqualTo("{\"groupAdd\":\"nobody\"}");
    }

    /** Accepting an invite is a group change: a connection that joins in a loop is rate-limited like one adding. */
    @Test
    void shouldRateLimitJoinsAsGroupChanges() {
        restartWith("limits.groupChanges.perSecond", 1, "limits.groupChanges.burst", 3);
        String[] tokens = registerWithBobRefusingAdds();
        try (TestClient alice = server.session(ALICE, 1, tokens[0]);
                TestClient bob = server.session(BOB, 1, tokens[1]);
                TestClient carol = server.session(CAROL, 1, tokens[2])) {
            String code = createG1InvitingBob(alice, bob, carol);
            for (long req = 1; req <= 3; req++) {
                bob.send(join(req, "g1", "AAAAAAAAAAAAAAAAAAAAAAAA"));
                expectRefused(bob, req, ErrorCode.FORBIDDEN);
            }

            bob.send(join(4, "g1", code));

            expectRefused(bob, 4, ErrorCode.RATE_LIMITED);
            assertThat(info(alice, 5, "g1")).containsExactly(ALICE, CAROL);
        }
    }
}
