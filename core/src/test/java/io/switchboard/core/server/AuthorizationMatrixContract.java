package io.switchboard.core.server;

import static io.switchboard.core.server.GroupsContract.create;
import static io.switchboard.core.server.GroupsContract.expectEvent;
import static io.switchboard.core.server.GroupsContract.expectRefused;
import static io.switchboard.core.server.GroupsContract.expectResult;
import static io.switchboard.core.server.GroupsContract.groupSend;
import static io.switchboard.core.server.GroupsContract.members;
import static io.switchboard.core.testing.TestServer.bearer;
import static io.switchboard.core.testing.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.accounts.PushRegistrations;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.GroupEventKind;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestKeys;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

/**
 * Who may do what, as protocol.md says, over real sockets: every group frame by the group's admin, a plain member and
 * a user outside the group; every device endpoint and {@code hello} by the account's primary, its companion, another
 * user, a removed device and a client without a token, and so every endpoint of push, keys and media. One row a case, each on users and a group of its own, so that
 * a row's change never decides another's outcome. Each routing variant runs it through a subclass.
 */
@Timeout(120)
abstract class AuthorizationMatrixContract extends ServerContract {
    private static final AtomicLong NEXT_USER = new AtomicLong(20_000);
    private static final String[] OCTETS = {"Content-Type", "application/octet-stream"};

    /** Every row registers its own accounts from this one address: the per-address limits are another test's. */
    @Override
    Map<String, Object> settings() {
        return Map.of("limits.registrations.perMinute", 0, "limits.linkCodes.perMinute", 0);
    }

    private enum GroupActor {
        ADMIN,
        MEMBER,
        OUTSIDER
    }

    private enum GroupAction {
        ADD,
        REMOVE,
        INFO,
        SEND,
        LEAVE,
        TYPING,
        /** {@code group.join} with a code nobody was given: a member is one already, anyone else needs an invite. */
        JOIN
    }

    private enum DeviceActor {
        PRIMARY,
        COMPANION,
        OTHER_USER,
        REMOVED_DEVICE,
        NO_TOKEN
    }

    private enum DeviceAction {
        LINK,
        LIST,
        REMOVE_COMPANION,
        HELLO_AS_PRIMARY,
        ROTATE_PRIMARY
    }

    /** protocol.md, Groups: members read and send, admins change the members, nobody outside does anything. */
    private static boolean allowed(GroupActor actor, GroupAction action) {
        return switch (action) {
            case ADD, REMOVE -> actor == GroupActor.ADMIN;
            case INFO, SEND, LEAVE, TYPING, JOIN -> actor != GroupActor.OUTSIDER;
        };
    }

    @TestFactory
    Stream<DynamicTest> groupFrames() {
        List<DynamicTest> rows = new ArrayList<>();
        for (GroupAction action : GroupAction.values()) {
            for (GroupActor actor : GroupActor.values()) {
                String verdict = allowed(actor, action) ? "allowed" : "refused";
                rows.add(DynamicTest.dynamicTest(
                        action + " by " + actor + " is " + verdict, () -> groupRow(actor, action)));
            }
        }
        return rows.stream();
    }

    private void groupRow(GroupActor actor, GroupAction action) {
        long admin = NEXT_USER.incrementAndGet();
        long member = NEXT_USER.incrementAndGet();
        long outsider = NEXT_USER.incrementAndGet();
        long joiner = NEXT_USER.incrementAndGet();
        String group = "m" + admin;
        String adminToken = server.register(admin, 1);
        String memberToken = server.register(member, 1);
        String outsiderToken = server.register(outsider, 1);
        server.register(joiner, 1);
        try (TestClient adminClient = server.session(admin, 1, adminToken);
                TestClient memberClient = server.session(member, 1, memberToken);
                TestClient outsiderClient = server.session(outsider, 1, outsiderToken)) {
            adminClient.send(create(1, group, member));
            expectResult(adminClient, 1);
            expectEvent(adminClient, GroupEventKind.ADDED);
            expectEvent(memberClient, GroupEventKind.ADDED);
            TestClient client = switch (actor) {
                case ADMIN -> adminClient;
                case MEMBER -> memberClient;
                case OUTSIDER -> outsiderClient;
            };
            TestClient bystander = actor == GroupActor.ADMIN ? memberClient : adminClient;
            long req = 2;
            Frame frame = switch (action) {
                case ADD -> members(FrameType.GROUP_ADD, req, group, joiner);
                case REMOVE -> members(FrameType.GROUP_REMOVE, req, group, actor == GroupActor.MEMBER ? admin : member);
                case INFO -> new Frame().reset(FrameType.GROUP_INFO).req(req).group(group);
                case SEND -> groupSend(req, group, "row");
                case LEAVE -> new Frame().reset(FrameType.GROUP_LEAVE).req(req).group(group);
                case TYPING ->
                    new Frame().reset(FrameType.TYPING).toGroup(group).on(true);
                case JOIN ->
                    new Frame()
                            .reset(FrameType.GROUP_JOIN)
                            .req(req)
                            .group(group)
                            .invite("AAAAAAAAAAAAAAAAAAAAAAAA");
            };
            client.send(frame);
            if (allowed(actor, action)) {
                expectAllowed(client, bystander, action, req);
            } else {
                expectRefusedRow(client, action, req);
            }
            expectNothing(adminClient);
            expectNothing(memberClient);
            expectNothing(outsiderClient);
        }
    }

    private static void expectAllowed(TestClient client, TestClient bystander, GroupAction action, long req) {
        switch (action) {
            case SEND -> {
                assertThat(client.expect(FrameType.ACK).id()).isEqualTo(req);
                assertThat(bystander.expect(FrameType.MSG).id()).isEqualTo(req);
            }
            case TYPING -> assertThat(bystander.expect(FrameType.TYPING).on()).isTrue();
            case INFO, JOIN -> expectResult(client, req);
            case ADD -> {
                expectResult(client, req);
                expectEvent(client, GroupEventKind.ADDED);
                expectEvent(bystander, GroupEventKind.ADDED);
            }
            case REMOVE -> {
                expectResult(client, req);
                expectEvent(client, GroupEventKind.REMOVED);
                expectEvent(bystander, GroupEventKind.REMOVED);
            }
            case LEAVE -> {
                expectResult(client, req);
                expectEvent(client, GroupEventKind.LEFT);
                expectEvent(bystander, GroupEventKind.LEFT);
            }
        }
    }

    private static void expectRefusedRow(TestClient client, GroupAction action, long req) {
        switch (action) {
            case SEND -> {
                Frame error = client.expect(FrameType.ERROR);
                assertThat(error.code()).isEqualTo(ErrorCode.FORBIDDEN);
                assertThat(error.id()).isEqualTo(req);
            }
            // Typing is relayed, never answered: a refused one just goes nowhere (the bystanders see nothing).
            case TYPING -> {}
            default -> expectRefused(client, req, ErrorCode.FORBIDDEN);
        }
    }

    /** protocol.md, Accounts and devices. */
    private static int expectedStatus(DeviceActor actor, DeviceAction action) {
        boolean authenticated = actor != DeviceActor.REMOVED_DEVICE && actor != DeviceActor.NO_TOKEN;
        return switch (action) {
            case LINK -> !authenticated ? 401 : actor == DeviceActor.COMPANION ? 403 : 200;
            case LIST -> authenticated ? 200 : 401;
            case REMOVE_COMPANION ->
                !authenticated
                        ? 401
                        : switch (actor) {
                            case PRIMARY -> 204;
                            case COMPANION -> 403;
                            default -> 404;
                        };
            // A hello is allowed only with the device's own token; it answers welcome or auth, not a status.
            case HELLO_AS_PRIMARY -> actor == DeviceActor.PRIMARY ? 200 : 401;
            case ROTATE_PRIMARY -> actor == DeviceActor.PRIMARY ? 200 : 409;
        };
    }

    @TestFactory
    Stream<DynamicTest> deviceEndpoints() {
        return endpointRows(DeviceAction.values(), AuthorizationMatrixContract::expectedStatus, this::deviceRow);
    }

    /** A row for each action by each actor, named with the status it expects. */
    private static <A> Stream<DynamicTest> endpointRows(
            A[] actions, BiFunction<DeviceActor, A, Integer> expected, BiConsumer<DeviceActor, A> row) {
        List<DynamicTest> rows = new ArrayList<>();
        for (A action : actions) {
            for (DeviceActor actor : DeviceActor.values()) {
                rows.add(DynamicTest.dynamicTest(
                        action + " by " + actor + " gives " + expected.apply(actor, action),
                        () -> row.accept(actor, action)));
            }
        }
        return rows.stream();
    }

    /**
     * A row's accounts: the owner's primary (device 1), its companion (2), a device it linked and removed (3), and
     * another user's primary.
     */
    private record Actors(
            long owner,
            long other,
            String primaryToken,
            String companionToken,
            String removedToken,
            String otherToken) {
        String token(DeviceActor actor) {
            return switch (actor) {
                case PRIMARY -> primaryToken;
                case COMPANION -> companionToken;
                case OTHER_USER -> otherToken;
                case REMOVED_DEVICE -> removedToken;
                case NO_TOKEN -> null;
            };
        }

        String[] auth(DeviceActor actor) {
            String token = token(actor);
            return token == null ? new String[0] : bearer(token);
        }
    }

    private Actors actors() {
        long owner = NEXT_USER.incrementAndGet();
        long other = NEXT_USER.incrementAndGet();
        String primaryToken = server.register(owner, 1);
        String companionToken = server.link(owner, primaryToken, 2);
        String removedToken = server.link(owner, primaryToken, 3);
        assertThat(server.delete("/v1/devices/3", bearer(primaryToken)).statusCode())
                .isEqualTo(204);
        return new Actors(owner, other, primaryToken, companionToken, removedToken, server.register(other, 1));
    }

    private void deviceRow(DeviceActor actor, DeviceAction action) {
        Actors actors = actors();
        long owner = actors.owner();
        String companionToken = actors.companionToken();
        String token = actors.token(actor);
        String[] auth = actors.auth(actor);
        int expected = expectedStatus(actor, action);
        switch (action) {
            case LINK -> {
                HttpResponse<String> link = server.post("/v1/devices/link", "", auth);
                assertThat(link.statusCode()).as(link.body()).isEqualTo(expected);
                if (expected == 200) {
                    String code = json(link.body()).path("code").asText();
                    int status = server.linkWith(owner, 4, code).statusCode();
                    assertThat(status)
                            .as("a code links only to the account of the device that asked for it")
                            .isEqualTo(actor == DeviceActor.PRIMARY ? 201 : 403);
                }
            }
            case LIST -> {
                HttpResponse<String> listed = server.get("/v1/devices", auth);
                assertThat(listed.statusCode()).as(listed.body()).isEqualTo(expected);
                if (expected == 200) {
                    List<Integer> devices = new ArrayList<>();
                    json(listed.body())
                            .path("devices")
                            .forEach(d -> devices.add(d.path("device").asInt()));
                    assertThat(devices)
                            .as("the caller's own account, never another's")
                            .isEqualTo(actor == DeviceActor.OTHER_USER ? List.of(1) : List.of(1, 2));
                }
            }
            case REMOVE_COMPANION -> {
                HttpResponse<String> removed = server.delete("/v1/devices/2", auth);
                assertThat(removed.statusCode()).as(removed.body()).isEqualTo(expected);
                try (TestClient companion = server.connect()) {
                    companion.send(new Frame()
                            .reset(FrameType.HELLO)
                            .user(owner)
                            .device(2)
                            .token(companionToken));
                    assertThat(companion.next().type())
                            .as("the companion works on unless the primary removed it")
                            .isEqualTo(expected == 204 ? FrameType.ERROR : FrameType.WELCOME);
                }
            }
            case HELLO_AS_PRIMARY -> {
                try (TestClient client = server.connect()) {
                    Frame hello = new Frame().reset(FrameType.HELLO).user(owner).device(1);
                    if (token != null) {
                        hello.token(token);
                    }
                    client.send(hello);
                    Frame answer = client.next();
                    if (expected == 200) {
                        assertThat(answer.type()).isEqualTo(FrameType.WELCOME);
                    } else {
                        assertThat(answer.code()).as(answer.toString()).isEqualTo(ErrorCode.AUTH);
                        assertThat(client.awaitClose()).isEqualTo(1008);
                    }
                }
            }
            case ROTATE_PRIMARY -> {
                HttpResponse<String> rotated =
                        server.post("/v1/accounts", "{\"user\":" + owner + ",\"device\":1}", auth);
                assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(expected);
            }
        }
    }

    private enum ServiceAction {
        PUSH_REGISTER,
        /** {@code DELETE /v1/push} while the owner's primary has a registration. */
        PUSH_UNREGISTER,
        /** {@code PUT /v1/keys} with an identity key other than the owner's account's. */
        KEYS_UPLOAD_NEW_IDENTITY,
        /** {@code GET /v1/keys/{owner}}. */
        KEYS_FETCH,
        KEYS_COUNT,
        MEDIA_UPLOAD,
        /** {@code GET /v1/media/{id}} of a blob the owner's primary uploaded. */
        MEDIA_FETCH
    }

    /**
     * protocol.md, Keys, Media and Push; docs/protocol-notes.md: each acts on the caller's own device (push, key upload,
     * counts), or on what any authenticated device may read (anyone's keys, a blob whose id it holds); only the primary
     * may change the account's identity key.
     */
    private static int expectedStatus(DeviceActor actor, ServiceAction action) {
        if (actor == DeviceActor.REMOVED_DEVICE || actor == DeviceActor.NO_TOKEN) {
            return 401;
        }
        return switch (action) {
            case PUSH_REGISTER, PUSH_UNREGISTER -> 204;
            case KEYS_UPLOAD_NEW_IDENTITY -> actor == DeviceActor.COMPANION ? 409 : 200;
            case KEYS_FETCH, KEYS_COUNT, MEDIA_FETCH -> 200;
            case MEDIA_UPLOAD -> 201;
        };
    }

    @TestFactory
    Stream<DynamicTest> serviceEndpoints() {
        return endpointRows(ServiceAction.values(), AuthorizationMatrixContract::expectedStatus, this::serviceRow);
    }

    private static String[] with(String[] auth, String... more) {
        String[] all = Arrays.copyOf(auth, auth.length + more.length);
        System.arraycopy(more, 0, all, auth.length, more.length);
        return all;
    }

    private void serviceRow(DeviceActor actor, ServiceAction action) {
        Actors actors = actors();
        long owner = actors.owner();
        String[] primary = bearer(actors.primaryToken());
        TestKeys ownerKeys = new TestKeys();
        assertThat(server.put("/v1/keys", ownerKeys.upload(1, 2, 2), primary).statusCode())
                .isEqualTo(200);
        assertThat(server.put("/v1/push", "{\"platform\":\"sim\",\"token\":\"owner-phone\"}", primary)
                        .statusCode())
                .isEqualTo(204);
        HttpResponse<String> blob = server.post("/v1/media", "the owner's blob", with(primary, OCTETS));
        assertThat(blob.statusCode()).as(blob.body()).isEqualTo(201);
        String blobId = json(blob.body()).path("id").asText();
        TestKeys newIdentity = new TestKeys();
        String[] auth = actors.auth(actor);
        int expected = expectedStatus(actor, action);
        PushRegistrations pushes = server.embedded().accounts().pushes();
        HttpResponse<String> answer = switch (action) {
            case PUSH_REGISTER -> server.put("/v1/push", "{\"platform\":\"sim\",\"token\":\"row-phone\"}", auth);
            case PUSH_UNREGISTER -> server.delete("/v1/push", auth);
            case KEYS_UPLOAD_NEW_IDENTITY -> server.put("/v1/keys", newIdentity.upload(1, 1, 1), auth);
            case KEYS_FETCH -> server.get("/v1/keys/" + owner, auth);
            case KEYS_COUNT -> server.get("/v1/keys/count", auth);
            case MEDIA_UPLOAD -> server.post("/v1/media", "a row's blob", with(auth, OCTETS));
            case MEDIA_FETCH -> server.get("/v1/media/" + blobId, auth);
        };
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expected);
        boolean byPrimary = actor == DeviceActor.PRIMARY;
        switch (action) {
            case PUSH_REGISTER -> {
                assertThat(pushes.target(owner, 1).token())
                        .as("only the primary's own PUT replaces its registration")
                        .isEqualTo(byPrimary ? "row-phone" : "owner-phone");
                assertThat(pushes.registered(owner, 2)).isEqualTo(actor == DeviceActor.COMPANION);
                assertThat(pushes.registered(owner, 3))
                        .as("a removed device registers nothing")
                        .isFalse();
                assertThat(pushes.registered(actors.other(), 1)).isEqualTo(actor == DeviceActor.OTHER_USER);
            }
            case PUSH_UNREGISTER ->
                assertThat(pushes.registered(owner, 1))
                        .as("only the primary's own DELETE ends its registration")
                        .isEqualTo(!byPrimary);
            case KEYS_UPLOAD_NEW_IDENTITY -> {
                JsonNode ownerBundle =
                        json(server.get("/v1/keys/" + owner, primary).body());
                assertThat(ownerBundle.path("identityKey").asText())
                        .as("only the account's primary replaces its identity key")
                        .isEqualTo((byPrimary ? newIdentity : ownerKeys).identityKey());
            }
            case KEYS_FETCH -> {
                if (expected == 200) {
                    JsonNode bundle = json(answer.body());
                    assertThat(bundle.path("identityKey").asText()).isEqualTo(ownerKeys.identityKey());
                    assertThat(bundle.path("devices")
                                    .get(0)
                                    .path("preKey")
                                    .path("id")
                                    .asInt())
                            .isEqualTo(1);
                }
                assertThat(preKeys(primary))
                        .as("a one-time key is handed out only to an authenticated fetch")
                        .isEqualTo(expected == 200 ? 1 : 2);
            }
            case KEYS_COUNT -> {
                if (expected == 200) {
                    assertThat(json(answer.body()).path("preKeys").asInt())
                            .as("the caller's own counts")
                            .isEqualTo(byPrimary ? 2 : 0);
                }
            }
            case MEDIA_UPLOAD -> {
                if (expected == 201) {
                    String id = json(answer.body()).path("id").asText();
                    assertThat(server.get("/v1/media/" + id, primary).body()).isEqualTo("a row's blob");
                }
            }
            case MEDIA_FETCH -> {
                if (expected == 200) {
                    assertThat(answer.body()).as("the id is the capability").isEqualTo("the owner's blob");
                } else {
                    assertThat(answer.body()).doesNotContain("the owner's blob");
                }
            }
        }
    }

    private int preKeys(String[] auth) {
        return json(server.get("/v1/keys/count", auth).body()).path("preKeys").asInt();
    }
}
