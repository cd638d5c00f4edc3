package io.switchboard.core.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.util.List;

/**
 * Aggregates HTTP requests with a body limit by path: {@code PUT /v1/keys} takes a client's batch of pre-keys (100 EC
 * and 100 Kyber one-time keys are about 280 KB of JSON), every other request keeps the small limit, so that no other
 * endpoint lets a client make the server buffer that much. A declared {@code Content-Length} over the limit gets 413
 * before any of the body is read (Netty's own handling); a chunked body that grows past it gets 413 and the connection
 * is closed, the rest of the body dropped as it comes. One per channel.
 */
final class RequestBodyAggregator extends HttpObjectAggregator {
    private final int smallBytes;
    /** The limit of the request being read. */
    private int currentLimit;
    /** Body bytes of the current request so far, counted only when it declared no length (Netty checks those). */
    private long chunkedBytes = -1;
    /** A chunked body went over its limit: the connection is closing and nothing more is read. */
    private boolean refused;

    RequestBodyAggregator(int smallBytes, int keysBytes) {
        super(keysBytes);
        this.smallBytes = smallBytes;
    }

    private int limit(HttpMessage start) {
        return start instanceof HttpRequest request && isKeyUpload(request.uri()) ? maxContentLength() : smallBytes;
    }

    private static boolean isKeyUpload(String uri) {
        return uri.equals(KeyEndpoints.KEYS) || uri.startsWith(KeyEndpoints.KEYS + "?");
    }

    @Override
    protected boolean isContentLengthInvalid(HttpMessage start, int maxContentLength) {
        return HttpUtil.getContentLength(start, -1L) > limit(start);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out) throws Exception {
        if (refused) {
            return;
        }
        if (msg instanceof HttpRequest request) {
            currentLimit = limit(request);
            chunkedBytes = HttpUtil.isContentLengthSet(request) ? -1 : 0;
        }
        if (msg instanceof HttpContent content && chunkedBytes >= 0) {
            chunkedBytes += content.content().readableBytes();
            if (chunkedBytes > currentLimit) {
                refused = true;
                releaseCurrentMessage();
                HttpResponses.respond(
                        ctx,
                        false,
                        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        HttpResponses.error(
                                HttpResponses.BAD_REQUEST, "the request body is over " + currentLimit + " bytes"));
                return;
            }
        }
        super.decode(ctx, msg, out);
    }
}
