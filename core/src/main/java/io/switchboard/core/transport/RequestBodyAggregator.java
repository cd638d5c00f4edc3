package io.switchboard.core.transport;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpContentException;

/**
 * Aggregates HTTP requests with a body limit by path: {@code PUT /v1/keys} takes a client's batch of pre-keys (100 EC
 * and 100 Kyber one-time keys are about 280 KB of JSON), every other request keeps the small limit, so that no other
 * endpoint lets a client make the server buffer that much. A declared {@code Content-Length} over the limit gets 413
 * before any of the body is read (Netty's own handling); a chunked body that grows past it closes the connection. One
 * per channel.
 */
final class RequestBodyAggregator extends HttpObjectAggregator {
    private final int smallBytes;
    /** The limit of the request being aggregated. */
    private int currentLimit;

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
    protected FullHttpMessage beginAggregation(HttpMessage start, ByteBuf content) throws Exception {
        currentLimit = limit(start);
        return super.beginAggregation(start, content);
    }

    @Override
    protected void aggregate(FullHttpMessage aggregated, HttpContent content) throws Exception {
        if (aggregated.content().readableBytes() > currentLimit) {
            throw new TooLongHttpContentException("request body over " + currentLimit + " bytes");
        }
        super.aggregate(aggregated, content);
    }
}
