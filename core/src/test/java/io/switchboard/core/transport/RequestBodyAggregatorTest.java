package io.switchboard.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Only {@code PUT /v1/keys} takes the large body limit; every other request keeps the small one. */
class RequestBodyAggregatorTest {
    private static final int SMALL = 1024;
    private static final int LARGE = 8 * 1024;

    private final EmbeddedChannel channel = new EmbeddedChannel(new RequestBodyAggregator(SMALL, LARGE));

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private static HttpRequest start(HttpMethod method, String uri, int declaredBytes) {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        if (declaredBytes < 0) {
            request.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        } else {
            request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, declaredBytes);
        }
        return request;
    }

    private void body(int bytes) {
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[bytes / 2])));
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[bytes - bytes / 2])));
    }

    @Test
    void shouldTakeAKeyUploadAboveTheSmallLimit() {
        channel.writeInbound(start(HttpMethod.PUT, "/v1/keys", 4 * SMALL));
        body(4 * SMALL);

        FullHttpRequest request = channel.readInbound();
        assertThat(request.content().readableBytes()).isEqualTo(4 * SMALL);
        request.release();
    }

    @Test
    void shouldAnswer413ToADeclaredBodyAboveTheSmallLimitElsewhere() {
        channel.writeInbound(start(HttpMethod.POST, "/v1/accounts", 4 * SMALL));

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        response.release();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void shouldAnswer413AndCloseToAChunkedBodyThatGrowsAboveTheSmallLimitElsewhere() {
        channel.writeInbound(start(HttpMethod.POST, "/v1/keys/count", -1));
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[SMALL])));
        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[SMALL])));

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        response.release();
        assertThat(channel.isOpen()).isFalse();
        assertThat((Object) channel.readInbound()).isNull();
    }
}
