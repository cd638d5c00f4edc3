package io.switchboard.core.transport;

import static io.switchboard.core.transport.HttpResponses.error;
import static io.switchboard.core.transport.HttpResponses.respond;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.metrics.ServerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The HTTP side of the port: accounts and devices ({@link AccountEndpoints}), {@code GET /metrics} (Prometheus), the
 * live dashboard under {@code /dashboard}, and the WebSocket upgrade at {@code /ws}, which passes on to the WebSocket
 * handlers. What forces the account log to disk, and scrapes, run on a separate executor, never on the I/O loop.
 */
@ChannelHandler.Sharable
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String WEBSOCKET_PATH = "/ws";
    static final String REGISTRATION_KEY_HEADER = AccountEndpoints.REGISTRATION_KEY_HEADER;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final AccountEndpoints accounts;
    private final Executor blockingWork;
    private final ServerMetrics metrics;
    private final DashboardHandler dashboard;

    /**
     * @param blockingWork runs what must not run on an I/O loop: registrations and removals (they force the account
     *     log to disk) and scrapes
     * @param owners told of each removed device, to end its session and drop its queue
     * @param addressLimits the rate limits per remote address of registrations and link codes
     */
    HttpHandler(
            AccountStore accounts,
            String registrationKey,
            Executor blockingWork,
            ServerMetrics metrics,
            AccountEndpoints.RemovedDevices owners,
            AccountEndpoints.AddressLimiter addressLimits) {
        super(false);
        this.accounts = new AccountEndpoints(accounts, registrationKey, blockingWork, owners, addressLimits);
        this.blockingWork = blockingWork;
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
        if (path.equals("/metrics")) {
            scrape(ctx, keepAlive);
            return;
        }
        boolean served = accounts.handle(ctx, request, path, keepAlive)
                || (path.startsWith(DashboardHandler.PREFIX) && metrics.enabled() && dashboard.handle(ctx, path));
        if (!served) {
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
            blockingWork.execute(() -> {
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
