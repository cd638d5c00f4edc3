package io.switchboard.core.transport;

import static io.switchboard.core.transport.HttpResponses.error;
import static io.switchboard.core.transport.HttpResponses.respond;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;

/**
 * The HTTP side of a port: on the public port, accounts and devices ({@link AccountEndpoints}), keys ({@link
 * KeyEndpoints}) and the WebSocket upgrade
 * at {@code /ws}, which passes on to the WebSocket handlers; metrics and the dashboard ({@link AdminEndpoints}) on the
 * public port or on the admin address. What forces the account log to disk, and scrapes, run on executors of their
 * own, never on the I/O loop.
 */
@ChannelHandler.Sharable
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String WEBSOCKET_PATH = "/ws";
    static final String REGISTRATION_KEY_HEADER = AccountEndpoints.REGISTRATION_KEY_HEADER;

    /** What a connection became after its first requests; none while it is a plain HTTP connection. */
    static final AttributeKey<ConnectionKind> KIND = AttributeKey.valueOf(HttpHandler.class, "kind");
    /** Set by a request that asked to close the connection: requests pipelined behind it are dropped unanswered. */
    private static final AttributeKey<Boolean> CLOSING = AttributeKey.valueOf(HttpHandler.class, "closing");

    enum ConnectionKind {
        WEBSOCKET,
        DASHBOARD_STREAM
    }

    private final AccountEndpoints accounts;
    private final KeyEndpoints keys;
    private final AdminEndpoints admin;

    /**
     * @param accounts the public side (accounts, devices, the WebSocket upgrade); null on the admin address
     * @param keys the key distribution center, on the public side; null on the admin address
     * @param admin metrics and the dashboard; null on the public port when they have an address of their own
     */
    HttpHandler(AccountEndpoints accounts, KeyEndpoints keys, AdminEndpoints admin) {
        super(false);
        this.accounts = accounts;
        this.keys = keys;
        this.admin = admin;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        Attribute<Boolean> closing = ctx.channel().attr(CLOSING);
        if (closing.get() != null) {
            // The client said this connection ends with the request before: acting on more would change accounts
            // for requests that get no answer.
            request.release();
            return;
        }
        if (!HttpUtil.isKeepAlive(request)) {
            closing.set(Boolean.TRUE);
        }
        if (request.decoderResult().isFailure()) {
            // The codec could not parse it and made up a request to say so ("/bad-request"): answer that, not a 404,
            // and close, since what follows on the connection cannot be trusted to start a request.
            try {
                respond(
                        ctx,
                        false,
                        HttpResponseStatus.BAD_REQUEST,
                        error(
                                HttpResponses.BAD_REQUEST,
                                "the request could not be parsed: "
                                        + request.decoderResult().cause().getMessage()));
            } finally {
                request.release();
            }
            return;
        }
        String path = path(request.uri());
        if (WEBSOCKET_PATH.equals(path) && accounts != null) {
            ctx.channel().attr(KIND).set(ConnectionKind.WEBSOCKET);
            ctx.fireChannelRead(request);
            return;
        }
        try {
            if (path == null) {
                respond(
                        ctx,
                        HttpUtil.isKeepAlive(request),
                        HttpResponseStatus.BAD_REQUEST,
                        error(HttpResponses.BAD_REQUEST, "the path of " + request.uri() + " has a bad %-escape"));
            } else {
                route(ctx, request, path);
            }
        } finally {
            request.release();
        }
    }

    /**
     * The decoded path of {@code uri}, or null when a %-escape in it is not two hex digits or not UTF-8: {@link
     * QueryStringDecoder} throws then, and an exception here would leave the request unanswered and unreleased.
     */
    static String path(String uri) {
        try {
            return new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return null;
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
        if (AdminEndpoints.serves(path)) {
            if (admin != null) {
                admin.handle(ctx, path, keepAlive);
            } else {
                respond(
                        ctx,
                        keepAlive,
                        HttpResponseStatus.NOT_FOUND,
                        error(
                                HttpResponses.NOT_FOUND,
                                path + " is served on the admin address only (server.adminHost, server.adminPort)"));
            }
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
        if (accounts == null
                || !(accounts.handle(ctx, request, path, keepAlive)
                        || (keys != null && keys.handle(ctx, request, path, keepAlive)))) {
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
}
