package io.switchboard.core.transport;

import static io.switchboard.core.transport.HttpResponses.error;
import static io.switchboard.core.transport.HttpResponses.respond;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.metrics.ServerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * What an operator reads: {@code GET /metrics} (Prometheus) and the live dashboard under {@code /dashboard}. Served on
 * the public port while that is bound to loopback, otherwise only on the admin address ({@code server.adminHost},
 * {@code server.adminPort}): they tell who is online and how busy the server is.
 */
final class AdminEndpoints {
    static final String METRICS = "/metrics";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final ServerMetrics metrics;
    private final Executor scrapes;
    private final DashboardHandler dashboard;

    /** @param scrapes runs scrapes off the I/O loop, apart from the account work so that neither delays the other */
    AdminEndpoints(ServerMetrics metrics, Executor scrapes, int maxDashboardStreams) {
        this.metrics = metrics;
        this.scrapes = scrapes;
        this.dashboard = new DashboardHandler(metrics, maxDashboardStreams);
    }

    /** Whether {@code path} is one of these endpoints, wherever they are served. */
    static boolean serves(String path) {
        return path.equals(METRICS)
                || path.equals(DashboardHandler.PREFIX)
                || path.startsWith(DashboardHandler.PREFIX + "/");
    }

    /** Answers a request whose path {@link #serves}. */
    void handle(ChannelHandlerContext ctx, String path, boolean keepAlive) {
        if (path.equals(METRICS)) {
            scrape(ctx, keepAlive);
        } else if (!metrics.enabled() || !dashboard.handle(ctx, path, keepAlive)) {
            respond(
                    ctx,
                    keepAlive,
                    HttpResponseStatus.NOT_FOUND,
                    error(HttpResponses.NOT_FOUND, "no such endpoint: " + path));
        }
    }

    private void scrape(ChannelHandlerContext ctx, boolean keepAlive) {
        if (!metrics.enabled()) {
            respond(
                    ctx,
                    keepAlive,
                    HttpResponseStatus.NOT_FOUND,
                    error(HttpResponses.NOT_FOUND, "metrics are off (metrics.enabled: false)"));
            return;
        }
        try {
            scrapes.execute(() -> {
                byte[] text = metrics.scrape().getBytes(StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(
                        HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(text));
                response.headers()
                        .set(HttpHeaderNames.CONTENT_TYPE, PROMETHEUS_TEXT)
                        .setInt(HttpHeaderNames.CONTENT_LENGTH, text.length);
                HttpResponses.send(ctx, keepAlive, response);
            });
        } catch (RejectedExecutionException e) {
            respond(
                    ctx,
                    keepAlive,
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    error(HttpResponses.UNAVAILABLE, "busy; scrape again"));
        }
    }
}
