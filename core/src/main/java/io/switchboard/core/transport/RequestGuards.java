package io.switchboard.core.transport;

import static io.switchboard.core.transport.HttpResponses.error;
import static io.switchboard.core.transport.HttpResponses.respond;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.accounts.DeviceId;
import io.switchboard.core.limits.LimitKind;
import io.switchboard.core.limits.TokenBucket;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * What every endpoint of the public HTTP side checks before it acts, each answering the request itself when the check
 * fails: the method, the Bearer token, a per-address rate limit, and room on the blocking executor. Thread-safe.
 */
final class RequestGuards {
    private RequestGuards() {}

    /** True for the {@code expected} method; otherwise answers 405. */
    static boolean allowed(ChannelHandlerContext ctx, boolean keepAlive, HttpMethod method, HttpMethod expected) {
        if (method.equals(expected)) {
            return true;
        }
        respond(
                ctx,
                keepAlive,
                HttpResponseStatus.METHOD_NOT_ALLOWED,
                error(HttpResponses.METHOD_NOT_ALLOWED, "use " + expected.name()));
        return false;
    }

    /** The device the request's Bearer token belongs to, or null after answering 401. */
    static DeviceId authenticated(
            AccountStore accounts, ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive) {
        DeviceId caller = accounts.authenticate(HttpResponses.bearer(request));
        if (caller == null) {
            respond(
                    ctx,
                    keepAlive,
                    HttpResponseStatus.UNAUTHORIZED,
                    error(HttpResponses.AUTH, "a device's current token is required: Authorization: Bearer <token>"));
        }
        return caller;
    }

    /** Answers 429 and returns true when the request's address is over {@code kind}'s rate (counted by its loop). */
    static boolean overLimit(
            AccountEndpoints.AddressLimiter limits, ChannelHandlerContext ctx, boolean keepAlive, LimitKind kind) {
        long waitNs = limits.take(ctx.channel(), kind);
        if (waitNs == 0) {
            return false;
        }
        HttpResponses.rateLimited(ctx, keepAlive, kind.refusal, TokenBucket.retryAfterMs(waitNs));
        return true;
    }

    /** Runs {@code work} on the blocking executor; false, having answered 503, when its queue is full. */
    static boolean blocking(Executor blockingWork, ChannelHandlerContext ctx, boolean keepAlive, Runnable work) {
        try {
            blockingWork.execute(work);
            return true;
        } catch (RejectedExecutionException e) {
            unavailable(ctx, keepAlive, "too many account and key changes at once; retry");
            return false;
        }
    }

    /** A number of a path, in plain digits within 1..{@code max}, no longer than {@code max}; 0 for anything else. */
    static long pathNumber(String text, long max) {
        if (text.isEmpty() || text.length() > Long.toString(max).length()) {
            return 0;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return 0;
            }
        }
        long value = Long.parseLong(text);
        return value <= max ? value : 0;
    }

    static void unavailable(ChannelHandlerContext ctx, boolean keepAlive, String message) {
        respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, error(HttpResponses.UNAVAILABLE, message));
    }
}
