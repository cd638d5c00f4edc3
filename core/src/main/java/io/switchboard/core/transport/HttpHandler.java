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
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.metrics.ServerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongConsumer;

/**
 * The HTTP side of the port: accounts and devices ({@link AccountEndpoints}), {@code GET /metrics} (Prometheus), the
 * live dashboard under {@code /dashboard}, and the WebSocket upgrade at {@code /ws}, which passes on to the WebSocket
 * handlers. What forces the account log to disk, and scrapes, run on executors of their own, never on the I/O loop.
 */
@ChannelHandler.Sharable
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String WEBSOCKET_PATH = "/ws";
    static final String REGISTRATION_KEY_HEADER = AccountEndpoints.REGISTRATION_KEY_HEADER;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** What a connection became after its first requests; none while it is a plain HTTP connection. */
    static final AttributeKey<ConnectionKind> KIND = AttributeKey.valueOf(HttpHandler.class, "kind");

    enum ConnectionKind {
        WEBSOCKET,
        DASHBOARD_STREAM
    }

    private final AccountEndpoints accounts;
    private final Executor scrapes;
    private final ServerMetrics metrics;
    private final DashboardHandler dashboard;

    /**
     * @param accountWork runs registrations, links and removals, which wait for the account log's force, off the I/O
     *     loops
     * @param scrapes runs {@code /metrics} scrapes, apart from the account work so that neither delays the other
     * @param owners told of each removed device, to end its session and drop its queue
     */
    HttpHandler(
            AccountStore accounts,
            String registrationKey,
            Executor accountWork,
            Executor scrapes,
            ServerMetrics metrics,
            AccountEndpoints.RemovedDevices owners,
            LongConsumer rotatedSessions) {
        super(false);
        this.accounts = new AccountEndpoints(accounts, registrationKey, accountWork, owners, rotatedSessions);
        this.scrapes = scrapes;
        this.metrics = metrics;
        this.dashboard = new DashboardHandler(metrics);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        if (path.equals(WEBSOCKET_PATH)) {
            ctx.channel().attr(KIND).set(ConnectionKind.WEBSOCKET);
            ctx.fireChannelRead(request);
            return;
        }
        try {
            route(ctx, request, path);
        } finally {
            request.release();
        }
    }

    /**
     * A connection read nothing for the idle time: a WebSocket session's handler says goodbye with a close frame, a
     * dashboard stream lives on while the browser takes its events (the browser never sends), and a keep-alive
     * connection between requests is closed.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof IdleStateEvent)) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        ConnectionKind kind = ctx.channel().attr(KIND).get();
        if (kind == ConnectionKind.WEBSOCKET) {
            ctx.fireUserEventTriggered(event);
        } else if (kind != ConnectionKind.DASHBOARD_STREAM) {
            ctx.close();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (path.equals("/metrics")) {
            scrape(ctx, keepAlive);
            return;
        }
        if (crossOriginChange(request)) {
            respond(
                    ctx,
                    keepAlive,
                    HttpResponseStatus.FORBIDDEN,
                    error(
                            HttpResponses.FORBIDDEN,
                            "a page of another origin (" + request.headers().get(HttpHeaderNames.ORIGIN)
                                    + ") may not change accounts, devices or keys here"));
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

    /**
     * A request that would change something (anything but GET and HEAD) from a web page of another origin: a browser
     * names the page's origin in {@code Origin}, and without this check any page a user opens could register and
     * rotate tokens on a server listening on their machine. Clients that are not browsers send no {@code Origin}.
     */
    private static boolean crossOriginChange(FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin == null || request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
            return false;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        return host == null || !(origin.equals("http://" + host) || origin.equals("https://" + host));
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
