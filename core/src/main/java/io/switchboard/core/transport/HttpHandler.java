package io.switchboard.core.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.accounts.RegistrationResult;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.protocol.ProtocolLimits;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The HTTP side of the port: {@code POST /v1/accounts} (registration), {@code GET /metrics} (Prometheus), the live
 * dashboard under {@code /dashboard}, and the WebSocket
 * upgrade at {@code /ws}, which passes on to the WebSocket handlers. Registration forces the account log to disk, so
 * it runs on a separate executor, never on the I/O loop.
 */
@ChannelHandler.Sharable
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String WEBSOCKET_PATH = "/ws";
    static final String REGISTRATION_KEY_HEADER = "X-Registration-Key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final AccountStore accounts;
    private final byte[] registrationKey;
    private final Executor registrations;
    private final ServerMetrics metrics;
    private final DashboardHandler dashboard;

    /**
     * @param blockingWork runs what must not run on an I/O loop: registrations (they force the account log to disk)
     *     and scrapes
     */
    HttpHandler(AccountStore accounts, String registrationKey, Executor blockingWork, ServerMetrics metrics) {
        super(false);
        this.accounts = accounts;
        this.registrationKey = registrationKey == null ? null : registrationKey.getBytes(StandardCharsets.UTF_8);
        this.registrations = blockingWork;
        this.metrics = metrics;
        this.dashboard = new DashboardHandler(metrics);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        if (path.equals(WEBSOCKET_PATH)) {
            ctx.fireChannelRead(request);
            return;
        }
        try {
            route(ctx, request, path);
        } finally {
            request.release();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        switch (path) {
            case "/v1/accounts" -> {
                if (request.method() != HttpMethod.POST) {
                    respond(ctx, keepAlive, HttpResponseStatus.METHOD_NOT_ALLOWED, error("use POST"));
                } else {
                    register(ctx, request, keepAlive);
                }
            }
            case "/metrics" -> scrape(ctx, keepAlive);
            default -> {
                boolean served =
                        path.startsWith(DashboardHandler.PREFIX) && metrics.enabled() && dashboard.handle(ctx, path);
                if (!served) {
                    respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, error("no such endpoint: " + path));
                }
            }
        }
    }

    private void register(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive) {
        if (registrationKey != null) {
            String presented = request.headers().get(REGISTRATION_KEY_HEADER);
            if (presented == null
                    || !MessageDigest.isEqual(registrationKey, presented.getBytes(StandardCharsets.UTF_8))) {
                respond(
                        ctx,
                        keepAlive,
                        HttpResponseStatus.FORBIDDEN,
                        error("a valid " + REGISTRATION_KEY_HEADER + " header is required"));
                return;
            }
        }
        long user;
        int device;
        try (ByteBufInputStream in = new ByteBufInputStream(request.content())) {
            JsonNode body = JSON.readTree(in);
            user = id(body, "user", ProtocolLimits.MAX_ID);
            device = (int) id(body, "device", ProtocolLimits.MAX_DEVICE);
        } catch (IOException e) {
            respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, error(e.getMessage()));
            return;
        }
        String current = bearer(request);
        try {
            registrations.execute(() -> {
                RegistrationResult result;
                try {
                    result = accounts.register(user, device, current);
                } catch (RuntimeException e) {
                    respond(
                            ctx,
                            keepAlive,
                            HttpResponseStatus.SERVICE_UNAVAILABLE,
                            error("cannot store the account: " + e.getMessage()));
                    return;
                }
                if (result.status() == RegistrationResult.Status.CONFLICT) {
                    respond(
                            ctx,
                            keepAlive,
                            HttpResponseStatus.CONFLICT,
                            error("device " + device + " of user " + user
                                    + " is registered; send its current token as a Bearer token to rotate it"));
                } else {
                    respond(ctx, keepAlive, HttpResponseStatus.CREATED, Map.of("token", result.token()));
                }
            });
        } catch (RejectedExecutionException e) {
            respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, error("too many registrations at once"));
        }
    }

    /** A positive integer field no larger than {@code max}; checked before narrowing, so nothing wraps. */
    private static long id(JsonNode body, String field, long max) throws IOException {
        JsonNode node = body == null ? null : body.get(field);
        if (node == null
                || !node.isIntegralNumber()
                || node.bigIntegerValue().signum() <= 0
                || node.bigIntegerValue().compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IOException("expected {\"user\": 1.." + ProtocolLimits.MAX_ID + ", \"device\": 1.."
                    + ProtocolLimits.MAX_DEVICE + "}; '" + field + "' is " + node);
        }
        return node.longValue();
    }

    private void scrape(ChannelHandlerContext ctx, boolean keepAlive) {
        if (!metrics.enabled()) {
            respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, error("metrics are off (metrics.enabled: false)"));
            return;
        }
        try {
            registrations.execute(() -> {
                byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(text));
                response.headers()
                        .set(HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
                send(ctx, keepAlive, response);
            });
        } catch (RejectedExecutionException e) {
            respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, error("busy; scrape again"));
        }
    }

    private static String bearer(FullHttpRequest request) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    private static Map<String, String> error(String message) {
        return Map.of("error", message);
    }

    private static void respond(
            ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Map<String, String> body) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(json));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
        send(ctx, keepAlive, response);
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
