package io.switchboard.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.config.AccountsContext;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.protocol.ProtocolLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "let-me-in";

    @TempDir
    Path data;

    private AccountStore accounts;
    private EmbeddedChannel channel;
    /** The removals the handler handed to the owners of user state, as "user/device". */
    private final List<String> removals = new ArrayList<>();
    /** The sessions the handler asked the transport to close after a rotation, by connection. */
    private final List<Long> rotatedSessions = new ArrayList<>();

    private long maxAccounts = Long.MAX_VALUE;

    private EmbeddedChannel channel(String registrationKey, Executor registrations) {
        accounts = AccountStore.open(
                data, AccountsContext.LINK_CODE_EXPIRY_MS_DEFAULT, maxAccounts, SystemEpochClock.INSTANCE);
        channel = new EmbeddedChannel(new HttpHandler(
                new AccountEndpoints(
                        accounts,
                        (user, device) -> {},
                        registrationKey,
                        registrations,
                        (user, device) -> removals.add(user + "/" + device),
                        rotatedSessions::add,
                        (channel, kind) -> 0),
                null,
                new AdminEndpoints(new ServerMetrics(false, "test"), Runnable::run, 1)));
        return channel;
    }

    private EmbeddedChannel channel() {
        return channel(null, Runnable::run);
    }

    @AfterEach
    void release() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        if (accounts != null) {
            accounts.close();
        }
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String body, String... headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, method, uri, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers()
                .setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes());
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().set(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static FullHttpRequest register(long user, int device, String... headers) {
        return request(HttpMethod.POST, "/v1/accounts", "{\"user\":" + user + ",\"device\":" + device + "}", headers);
    }

    private record Response(HttpResponseStatus status, String contentType, JsonNode body) {}

    /** Writes the request, takes the one response the handler wrote, and releases it. */
    private Response exchange(FullHttpRequest request) {
        channel.writeInbound(request);
        Object written = channel.readOutbound();
        assertThat(written).isInstanceOf(FullHttpResponse.class);
        FullHttpResponse response = (FullHttpResponse) written;
        try {
            assertThat(channel.<Object>readOutbound()).isNull();
            assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
                    .isEqualTo(response.content().readableBytes());
            return new Response(
                    response.status(),
                    response.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    JSON.readTree(response.content().toString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new AssertionError("response body is not JSON", e);
        } finally {
            ReferenceCountUtil.release(response);
        }
    }

    private static String token(Response response) {
        return token(response, HttpResponseStatus.CREATED);
    }

    private static String token(Response response, HttpResponseStatus status) {
        assertThat(response.status()).as(response.body().toString()).isEqualTo(status);
        assertThat(response.contentType()).isEqualTo(HttpHeaderValues.APPLICATION_JSON.toString());
        String token = response.body().path("token").asText();
        assertThat(token).isNotEmpty();
        return token;
    }

    /** protocol.md's HTTP error: {@code {"error":"<code>","message":"..."}}; returns the message. */
    private static String error(Response response) {
        assertThat(response.body().path("error").asText())
                .as(response.body().toString())
                .isNotEmpty();
        String message = response.body().path("message").asText();
        assertThat(message).isNotEmpty();
        return message;
    }

    private static String code(Response response) {
        return response.body().path("error").asText();
    }

    private boolean verifies(long user, int device, String token) {
        byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
        return accounts.openSession(user, device, bytes, bytes.length, 1);
    }

    @Test
    void shouldRegisterANewDeviceWithCreatedAndAToken() {
        channel();

        String token = token(exchange(register(42, 1)));

        assertThat(verifies(42, 1, token)).isTrue();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void shouldAnswerConflictWhenTheDeviceIsAlreadyRegistered() {
        channel();
        String token = token(exchange(register(42, 1)));

        Response again = exchange(register(42, 1));

        assertThat(again.status()).isEqualTo(HttpResponseStatus.CONFLICT);
        assertThat(error(again)).contains("Bearer");
        assertThat(verifies(42, 1, token)).isTrue();
    }

    @Test
    void shouldAnswerConflictForAWrongBearerToken() {
        channel();
        token(exchange(register(42, 1)));

        Response wrong = exchange(register(42, 1, "Authorization", "Bearer not-the-token"));

        assertThat(wrong.status()).isEqualTo(HttpResponseStatus.CONFLICT);
    }

    @Test
    void shouldRotateTheTokenWhenTheCurrentOneIsPresentedAsBearer() {
        channel();
        String first = token(exchange(register(42, 1)));

        String second = token(exchange(register(42, 1, "Authorization", "Bearer " + first)), HttpResponseStatus.OK);

        assertThat(second).isNotEqualTo(first);
        assertThat(verifies(42, 1, second)).isTrue();
        assertThat(verifies(42, 1, first)).isFalse();
    }

    /**
     * Issue 16, item 10: a web page of any origin could post to {@code /v1/accounts} of a server on the user's machine.
     * A change from another origin is now refused; the same origin and clients that name none are served.
     */
    @Test
    void shouldRefuseChangesFromAPageOfAnotherOrigin() {
        channel();
        Response foreign = exchange(register(42, 1, "Host", "127.0.0.1:8080", "Origin", "https://evil.example"));
        assertThat(foreign.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(code(foreign)).isEqualTo("forbidden");
        assertThat(error(foreign)).contains("https://evil.example");
        assertThat(exchange(register(42, 1, "Origin", "null")).status())
                .as("no Host to compare with")
                .isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(accounts.accountCount()).isZero();

        String token = token(exchange(register(42, 1, "Host", "127.0.0.1:8080", "Origin", "http://127.0.0.1:8080")));
        assertThat(exchange(request(
                                HttpMethod.GET,
                                "/v1/devices",
                                "",
                                "Authorization",
                                "Bearer " + token,
                                "Origin",
                                "https://evil.example"))
                        .status())
                .as("reading is not changing")
                .isEqualTo(HttpResponseStatus.OK);
        token(exchange(register(43, 1)));
    }

    @Test
    void shouldAcceptTheBearerSchemeCaseInsensitively() {
        channel();
        String first = token(exchange(register(42, 1)));

        String second = token(exchange(register(42, 1, "Authorization", "bearer " + first)), HttpResponseStatus.OK);

        assertThat(verifies(42, 1, second)).isTrue();
    }

    @Test
    void shouldAnswerBadRequestForAMissingBody() {
        channel();

        Response response = exchange(request(HttpMethod.POST, "/v1/accounts", ""));

        assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        error(response);
    }

    @Test
    void shouldAnswerBadRequestForInvalidJson() {
        channel();

        Response response = exchange(request(HttpMethod.POST, "/v1/accounts", "{\"user\":42,"));

        assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        error(response);
    }

    @Test
    void shouldAnswerBadRequestForMissingOrNonIntegerFields() {
        channel();

        for (String body : List.of(
                "{\"user\":42}",
                "{\"device\":1}",
                "{\"user\":\"42\",\"device\":1}",
                "{\"user\":42,\"device\":1.5}",
                "[42,1]",
                "42")) {
            Response response = exchange(request(HttpMethod.POST, "/v1/accounts", body));

            assertThat(response.status()).as(body).isEqualTo(HttpResponseStatus.BAD_REQUEST);
            assertThat(error(response)).as(body).contains("user").contains("device");
        }
        assertThat(accounts.accountCount()).isZero();
    }

    @Test
    void shouldAnswerBadRequestForOutOfRangeIds() {
        channel();

        for (FullHttpRequest request : List.of(
                register(0, 1),
                register(-5, 1),
                register(ProtocolLimits.MAX_ID + 1, 1),
                register(42, 0),
                register(42, ProtocolLimits.MAX_DEVICE + 1))) {
            String body = request.content().toString(StandardCharsets.UTF_8);

            Response response = exchange(request);

            assertThat(response.status()).as(body).isEqualTo(HttpResponseStatus.BAD_REQUEST);
            assertThat(error(response)).as(body).contains("1.." + ProtocolLimits.MAX_DEVICE);
        }
        assertThat(accounts.accountCount()).isZero();
    }

    @Test
    void shouldAnswerBadRequestForIdsThatWrapWhenNarrowed() {
        channel();

        Response device = exchange(request(HttpMethod.POST, "/v1/accounts", "{\"user\":42,\"device\":4294967297}"));
        Response user =
                exchange(request(HttpMethod.POST, "/v1/accounts", "{\"user\":18446744073709551658,\"device\":1}"));

        assertThat(device.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(user.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(accounts.accountCount()).isZero();
    }

    @Test
    void shouldAnswerMethodNotAllowedForGet() {
        channel();

        Response response = exchange(request(HttpMethod.GET, "/v1/accounts", ""));

        assertThat(response.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        error(response);
    }

    @Test
    void shouldAnswerNotFoundForAnUnknownPath() {
        channel();

        Response response = exchange(request(HttpMethod.POST, "/v1/nothing?x=1", "{}"));

        assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(error(response)).contains("/v1/nothing");
    }

    /**
     * Found by HttpHandlerFuzzTest: a %-escape that is not two hex digits, or not UTF-8, made the path decoder throw, so
     * the request went unanswered and its buffer leaked.
     */
    @Test
    void shouldAnswerBadRequestForAPathWithABadEscapeAndReleaseTheRequest() {
        channel();

        for (String uri : List.of("/v1/%zz", "/v1/accounts%", "/ws%e", "/v1/devices/%2")) {
            FullHttpRequest request = request(HttpMethod.POST, uri, "{}");

            Response response = exchange(request);

            assertThat(response.status()).as(uri).isEqualTo(HttpResponseStatus.BAD_REQUEST);
            assertThat(code(response)).as(uri).isEqualTo("bad-request");
            assertThat(request.refCnt()).as(uri).isZero();
        }
        assertThat(channel.isOpen()).isTrue();
    }

    /** What the codec could not parse reaches the handler as a made-up request to "/bad-request": a 400, then close. */
    @Test
    void shouldAnswerBadRequestAndCloseForARequestTheCodecCouldNotParse() {
        channel();
        FullHttpRequest request = request(HttpMethod.GET, "/bad-request", "");
        request.setDecoderResult(
                DecoderResult.failure(new TooLongHttpHeaderException("HTTP header is larger than 8192 bytes.")));

        Response response = exchange(request);

        assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(error(response)).contains("could not be parsed").contains("larger than 8192");
        assertThat(request.refCnt()).isZero();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void shouldIgnoreTheQueryStringWhenRouting() {
        channel();

        token(exchange(request(HttpMethod.POST, "/v1/accounts?via=test", "{\"user\":42,\"device\":1}")));
    }

    @Test
    void shouldRequireTheRegistrationKeyWhenOneIsConfigured() {
        channel(KEY, Runnable::run);

        Response none = exchange(register(42, 1));
        Response wrong = exchange(register(42, 1, HttpHandler.REGISTRATION_KEY_HEADER, "let-me-in-please"));
        Response empty = exchange(register(42, 1, HttpHandler.REGISTRATION_KEY_HEADER, ""));

        assertThat(none.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(wrong.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(empty.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(error(none)).contains(HttpHandler.REGISTRATION_KEY_HEADER);
        assertThat(accounts.accountCount()).isZero();

        String token = token(exchange(register(42, 1, HttpHandler.REGISTRATION_KEY_HEADER, KEY)));

        assertThat(verifies(42, 1, token)).isTrue();
    }

    @Test
    void shouldCheckTheRegistrationKeyBeforeTheBody() {
        channel(KEY, Runnable::run);

        Response response = exchange(request(HttpMethod.POST, "/v1/accounts", "not json"));

        assertThat(response.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
    }

    @Test
    void shouldRegisterOnTheGivenExecutor() {
        List<Runnable> queued = new ArrayList<>();
        channel(null, queued::add);

        channel.writeInbound(register(42, 1));

        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(queued).hasSize(1);
        queued.get(0).run();
        FullHttpResponse response = channel.readOutbound();
        try {
            assertThat(response.status()).isEqualTo(HttpResponseStatus.CREATED);
        } finally {
            ReferenceCountUtil.release(response);
        }
    }

    @Test
    void shouldAnswerServiceUnavailableForANewAccountBeyondTheBound() {
        maxAccounts = 1;
        channel();
        String token = token(exchange(register(42, 1)));

        Response full = exchange(register(43, 1));

        assertThat(full.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        assertThat(code(full)).isEqualTo("unavailable");
        assertThat(error(full)).contains("accounts.maxAccounts");
        assertThat(exchange(register(42, 1, "Authorization", "Bearer " + token)).status())
                .isEqualTo(HttpResponseStatus.OK);
    }

    @Test
    void shouldAnswerServiceUnavailableWhenTheExecutorRejects() {
        channel(null, task -> {
            throw new RejectedExecutionException("full");
        });

        Response response = exchange(register(42, 1));

        assertThat(response.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
        error(response);
    }

    @Test
    void shouldCloseTheConnectionAfterRespondingWhenAskedTo() {
        channel();

        Response response = exchange(register(42, 1, "Connection", "close"));

        token(response);
        assertThat(channel.isOpen()).isFalse();
    }

    /** Requests pipelined behind one that asked to close are neither answered nor acted on. */
    @Test
    void shouldIgnoreRequestsPipelinedAfterConnectionClose() {
        channel();
        FullHttpRequest behind = register(43, 1);

        channel.writeInbound(register(42, 1, "Connection", "close"), behind);

        FullHttpResponse first = channel.readOutbound();
        assertThat(first.status()).isEqualTo(HttpResponseStatus.CREATED);
        first.release();
        assertThat(channel.<Object>readOutbound()).isNull();
        assertThat(accounts.deviceMask(43)).isZero();
        assertThat(behind.refCnt()).isZero();
    }

    @Test
    void shouldPassWebSocketRequestsOnWithoutAnswering() {
        channel();
        FullHttpRequest upgrade = request(HttpMethod.GET, "/ws", "");

        channel.writeInbound(upgrade);

        assertThat(channel.<Object>readOutbound()).isNull();
        Object passed = channel.readInbound();
        try {
            assertThat(passed).isSameAs(upgrade);
            assertThat(upgrade.refCnt()).isEqualTo(1);
        } finally {
            ReferenceCountUtil.release(passed);
        }
    }

    @Test
    void shouldReleaseEveryRequestItAnswers() {
        channel();
        FullHttpRequest request = register(42, 1);
        FullHttpRequest unknown = request(HttpMethod.GET, "/nowhere", "");

        exchange(request);
        exchange(unknown);

        assertThat(request.refCnt()).isZero();
        assertThat(unknown.refCnt()).isZero();
    }

    private static FullHttpRequest withBearer(HttpMethod method, String uri, String token) {
        return request(method, uri, "", "Authorization", "Bearer " + token);
    }

    private static FullHttpRequest linkWith(long user, int device, String code) {
        return request(
                HttpMethod.POST,
                "/v1/accounts",
                "{\"user\":" + user + ",\"device\":" + device + ",\"linkCode\":\"" + code + "\"}");
    }

    private String linkCode(String primaryToken) {
        Response response = exchange(withBearer(HttpMethod.POST, "/v1/devices/link", primaryToken));
        assertThat(response.status()).as(response.body().toString()).isEqualTo(HttpResponseStatus.OK);
        return response.body().path("code").asText();
    }

    @Test
    void shouldAnswerConflictForANewDeviceOfAnExistingAccountWithoutALinkCode() {
        channel();
        token(exchange(register(42, 1)));

        Response attack = exchange(register(42, 7));

        assertThat(attack.status()).isEqualTo(HttpResponseStatus.CONFLICT);
        assertThat(code(attack)).isEqualTo("conflict");
        assertThat(error(attack)).contains("linkCode");
        assertThat(accounts.deviceMask(42)).isEqualTo(1L << 1);
    }

    @Test
    void shouldGiveThePrimaryAFiveMinuteLinkCodeThatLinksOneDevice() {
        channel();
        String primary = token(exchange(register(42, 1)));

        Response link = exchange(withBearer(HttpMethod.POST, "/v1/devices/link", primary));

        assertThat(link.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(link.body().path("expiresInMs").asLong()).isEqualTo(300_000);
        String code = link.body().path("code").asText();
        assertThat(code).matches("[A-Za-z0-9_-]{22,}");
        String companion = token(exchange(linkWith(42, 2, code)));
        assertThat(verifies(42, 2, companion)).isTrue();
        Response again = exchange(linkWith(42, 3, code));
        assertThat(again.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(code(again)).isEqualTo("link-code");
    }

    @Test
    void shouldAnswerUnauthorizedWithoutAValidBearerTokenOnEveryDeviceEndpoint() {
        channel();
        token(exchange(register(42, 1)));

        for (FullHttpRequest request : List.of(
                request(HttpMethod.POST, "/v1/devices/link", ""),
                withBearer(HttpMethod.POST, "/v1/devices/link", "not-a-token"),
                request(HttpMethod.GET, "/v1/devices", ""),
                withBearer(HttpMethod.GET, "/v1/devices", ""),
                withBearer(HttpMethod.DELETE, "/v1/devices/2", "not-a-token"))) {
            String what = request.method() + " " + request.uri();

            Response response = exchange(request);

            assertThat(response.status()).as(what).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
            assertThat(code(response)).as(what).isEqualTo("auth");
        }
        assertThat(removals).isEmpty();
    }

    @Test
    void shouldAnswerMethodNotAllowedAndBadRequestOnTheDeviceEndpoints() {
        channel();
        String primary = token(exchange(register(42, 1)));

        assertThat(exchange(withBearer(HttpMethod.GET, "/v1/devices/link", primary))
                        .status())
                .isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(exchange(withBearer(HttpMethod.POST, "/v1/devices", primary)).status())
                .isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(exchange(withBearer(HttpMethod.GET, "/v1/devices/2", primary))
                        .status())
                .isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        for (String device : List.of("0", "64", "-1", "two", "", "1/2", "007")) {
            Response response = exchange(withBearer(HttpMethod.DELETE, "/v1/devices/" + device, primary));

            assertThat(response.status()).as(device).isEqualTo(HttpResponseStatus.BAD_REQUEST);
            assertThat(error(response)).as(device).contains("1.." + ProtocolLimits.MAX_DEVICE);
        }
        Response badCode =
                exchange(request(HttpMethod.POST, "/v1/accounts", "{\"user\":42,\"device\":2,\"linkCode\":7}"));
        assertThat(badCode.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(removals).isEmpty();
    }

    @Test
    void shouldListTheAccountsDevicesToAnyOfThem() {
        channel();
        String primary = token(exchange(register(42, 1)));
        String companion = token(exchange(linkWith(42, 3, linkCode(primary))));

        Response listed = exchange(withBearer(HttpMethod.GET, "/v1/devices", companion));

        assertThat(listed.status()).isEqualTo(HttpResponseStatus.OK);
        JsonNode devices = listed.body().path("devices");
        assertThat(devices).hasSize(2);
        assertThat(devices.get(0).path("device").asInt()).isEqualTo(1);
        assertThat(devices.get(0).path("primary").asBoolean()).isTrue();
        assertThat(devices.get(0).path("created").asLong()).isPositive();
        assertThat(devices.get(0).has("lastSeen")).as("never connected").isFalse();
        assertThat(devices.get(1).path("device").asInt()).isEqualTo(3);
        assertThat(devices.get(1).path("primary").asBoolean()).isFalse();
    }

    @Test
    void shouldLetOnlyThePrimaryRemoveACompanionAndTellTheOwnersOnce() {
        channel();
        String primary = token(exchange(register(42, 1)));
        String companion = token(exchange(linkWith(42, 2, linkCode(primary))));

        Response byCompanion = exchange(withBearer(HttpMethod.DELETE, "/v1/devices/2", companion));
        Response linkByCompanion = exchange(withBearer(HttpMethod.POST, "/v1/devices/link", companion));
        Response thePrimary = exchange(withBearer(HttpMethod.DELETE, "/v1/devices/1", primary));
        Response unknown = exchange(withBearer(HttpMethod.DELETE, "/v1/devices/5", primary));

        assertThat(byCompanion.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(linkByCompanion.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(error(linkByCompanion)).contains("primary");
        assertThat(thePrimary.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(unknown.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(removals).isEmpty();

        channel.writeInbound(withBearer(HttpMethod.DELETE, "/v1/devices/2", primary));
        FullHttpResponse removed = channel.readOutbound();
        try {
            assertThat(removed.status()).isEqualTo(HttpResponseStatus.NO_CONTENT);
            assertThat(removed.content().readableBytes()).isZero();
        } finally {
            ReferenceCountUtil.release(removed);
        }
        assertThat(removals).containsExactly("42/2");
        assertThat(verifies(42, 2, companion)).isFalse();
        assertThat(exchange(withBearer(HttpMethod.GET, "/v1/devices", companion))
                        .status())
                .isEqualTo(HttpResponseStatus.UNAUTHORIZED);
    }
}
