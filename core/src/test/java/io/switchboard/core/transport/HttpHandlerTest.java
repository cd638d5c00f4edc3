package io.switchboard.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.protocol.ProtocolLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
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

    private EmbeddedChannel channel(String registrationKey, Executor registrations) {
        accounts = AccountStore.open(data);
        channel = new EmbeddedChannel(
                new HttpHandler(accounts, registrationKey, registrations, new ServerMetrics(false, "test")));
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
        assertThat(response.status()).as(response.body().toString()).isEqualTo(HttpResponseStatus.CREATED);
        assertThat(response.contentType()).isEqualTo(HttpHeaderValues.APPLICATION_JSON.toString());
        String token = response.body().path("token").asText();
        assertThat(token).isNotEmpty();
        return token;
    }

    private static String error(Response response) {
        String message = response.body().path("error").asText();
        assertThat(message).isNotEmpty();
        return message;
    }

    private boolean verifies(long user, int device, String token) {
        byte[] bytes = token.getBytes(StandardCharsets.US_ASCII);
        return accounts.verify(user, device, bytes, bytes.length);
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

        String second = token(exchange(register(42, 1, "Authorization", "Bearer " + first)));

        assertThat(second).isNotEqualTo(first);
        assertThat(verifies(42, 1, second)).isTrue();
        assertThat(verifies(42, 1, first)).isFalse();
    }

    @Test
    void shouldAcceptTheBearerSchemeCaseInsensitively() {
        channel();
        String first = token(exchange(register(42, 1)));

        String second = token(exchange(register(42, 1, "Authorization", "bearer " + first)));

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
}
