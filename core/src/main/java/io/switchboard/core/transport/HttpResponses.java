package io.switchboard.core.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writing the HTTP side's answers: JSON bodies, and errors as protocol.md's HTTP endpoints have them,
 * {@code {"error":"<code>","message":"..."}}. Thread-safe: an answer may be written from the blocking executor.
 */
final class HttpResponses {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A request that cannot be read (400). */
    static final String BAD_REQUEST = "bad-request";
    /** A missing or bad token (401), as protocol.md's {@code auth} error. */
    static final String AUTH = "auth";
    /** Not allowed to this caller (403). */
    static final String FORBIDDEN = "forbidden";
    /** A link code that is unknown, used, replaced, expired or for another account (403). */
    static final String LINK_CODE = "link-code";
    /** An account that has as many devices as it may (403). */
    static final String TOO_MANY_DEVICES = "too-many-devices";
    /** No such resource (404). */
    static final String NOT_FOUND = "not-found";
    /** A method the path does not take (405). */
    static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    /** The account or device exists (409). */
    static final String CONFLICT = "conflict";
    /** A device that would hold more one-time keys than it may (413). */
    static final String TOO_MANY_KEYS = "too-many-keys";
    /** An upload that would take its user past {@code media.userQuotaBytes} (413). */
    static final String OVER_QUOTA = "over-quota";
    /** The server cannot do it now (503). */
    static final String UNAVAILABLE = "unavailable";
    /** A blob above {@code media.maxBytes} (413), as protocol.md's {@code too-large} error. */
    static final String TOO_LARGE = "too-large";
    /** Over a rate limit (429), as protocol.md's {@code rate-limited} error. */
    static final String RATE_LIMITED = "rate-limited";

    private HttpResponses() {}

    static Map<String, Object> error(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return body;
    }

    /** The token of {@code Authorization: Bearer <token>}, or null. */
    static String bearer(HttpRequest request) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object body) {
        send(ctx, keepAlive, json(status, body));
    }

    /** 400 with {@code message}. */
    static void badRequest(ChannelHandlerContext ctx, boolean keepAlive, String message) {
        respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, error(BAD_REQUEST, message));
    }

    /**
     * 429 with {@code Retry-After} in whole seconds (rounded up, as HTTP has no finer unit) and the exact wait as
     * {@code retryAfterMs} in the body, as the WebSocket's {@code rate-limited} error has it.
     */
    static void rateLimited(ChannelHandlerContext ctx, boolean keepAlive, String message, long retryAfterMs) {
        Map<String, Object> body = error(RATE_LIMITED, message);
        body.put("retryAfterMs", retryAfterMs);
        FullHttpResponse response = json(HttpResponseStatus.TOO_MANY_REQUESTS, body);
        response.headers().set(HttpHeaderNames.RETRY_AFTER, (retryAfterMs + 999) / 1000);
        send(ctx, keepAlive, response);
    }

    static FullHttpResponse json(HttpResponseStatus status, Object body) {
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
        return response;
    }

    /** 204, no body. */
    static void noContent(ChannelHandlerContext ctx, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        send(ctx, keepAlive, response);
    }

    static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            // Said in the head: a client that is not told keeps the connection for its next request, which then meets
            // the close instead of an answer (the JDK's client: "header parser received no bytes").
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
