package io.switchboard.core.transport;

import static io.switchboard.core.transport.HttpResponses.error;
import static io.switchboard.core.transport.HttpResponses.respond;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.switchboard.core.accounts.DeviceId;
import io.switchboard.core.limits.LimitKind;
import io.switchboard.core.limits.TokenBucket;
import io.switchboard.core.media.BlobInfo;
import io.switchboard.core.media.ByteRange;
import io.switchboard.core.media.MediaIds;
import io.switchboard.core.media.MediaQuota;
import io.switchboard.core.media.MediaService;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.MediaCounter;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * protocol.md's Media on one connection: {@code POST /v1/media} and {@code GET /v1/media/{id}}. It sits between the
 * HTTP codec and the aggregator, so a media request's body reaches it in the codec's chunks and never the aggregator
 * (whose limit is for small JSON bodies): an upload's chunks go through an {@link UploadPipe} to a media thread that
 * streams them into the store, with reading paused while the store is behind; a download goes out as a {@link
 * ChunkedInput} through a {@link ChunkedWriteHandler} added for its length only, which writes a chunk whenever the
 * channel is writable. Every other request passes through untouched. One per connection, used by its loop only.
 *
 * <p>While a download is written, reading is off: the next request on the connection waits until this answer is out.
 */
final class MediaHandler extends ChannelInboundHandlerAdapter {
    static final String PATH = "/v1/media";
    private static final String PREFIX = PATH + "/";
    private static final String CHUNKED = "media-chunked";
    /** An upload's chunks waiting for the store: above this the loop stops reading, below the low mark it resumes. */
    private static final long PIPE_HIGH_BYTES = 256 * 1024;

    private static final long PIPE_LOW_BYTES = 64 * 1024;
    private static final String OCTET_STREAM = HttpHeaderValues.APPLICATION_OCTET_STREAM.toString();

    private final MediaService media;
    private final ServerResources resources;
    private final CounterSet<MediaCounter> counters;

    /** From a media request's head to its last chunk: its chunks are this handler's. */
    private boolean inMediaRequest;
    /** Where the body of the upload in progress goes; null while there is none, or its body is being dropped. */
    private UploadPipe upload;
    /** Bytes of the download in progress written so far, and as seen at the last idle event; -1 when none. */
    private long downloadProgress = -1;

    private long progressAtIdle;

    MediaHandler(MediaService media, ServerResources resources) {
        this.media = media;
        this.resources = resources;
        this.counters = media.counters();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // A head the codec could not parse goes on to HttpHandler, which answers every such request the same way.
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            String path = HttpHandler.path(request.uri());
            if (path != null && (path.equals(PATH) || path.startsWith(PREFIX))) {
                inMediaRequest = true;
                route(ctx, request, path);
                if (msg instanceof HttpContent content) {
                    content(content);
                }
                return;
            }
        } else if (inMediaRequest && msg instanceof HttpContent content) {
            content(content);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void content(HttpContent content) {
        try {
            if (upload != null && content.content().isReadable()) {
                upload.offer(content.content().retain());
            }
        } finally {
            content.release();
        }
        if (content instanceof LastHttpContent) {
            inMediaRequest = false;
            if (upload != null) {
                upload.end();
            }
        }
    }

    private void route(ChannelHandlerContext ctx, HttpRequest request, String path) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpMethod expected = path.equals(PATH) ? HttpMethod.POST : HttpMethod.GET;
        if (!request.method().equals(expected)) {
            respond(
                    ctx,
                    keepAlive && !hasBody(request),
                    HttpResponseStatus.METHOD_NOT_ALLOWED,
                    error(HttpResponses.METHOD_NOT_ALLOWED, "use " + expected.name()));
        } else if (expected == HttpMethod.POST) {
            upload(ctx, request, keepAlive);
        } else if (caller(ctx, request, keepAlive) != null) {
            download(ctx, request, path.substring(PREFIX.length()), keepAlive);
        }
    }

    private static boolean hasBody(HttpRequest request) {
        return HttpUtil.getContentLength(request, 0L) > 0 || HttpUtil.isTransferEncodingChunked(request);
    }

    /** The device whose token the request carries; null, answered 401, when none. */
    private DeviceId caller(ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive) {
        return RequestGuards.authenticated(resources.accounts(), ctx, request, keepAlive);
    }

    /**
     * The length is checked first: a body above the limit, or of no declared length, is never read (the answer closes
     * the connection). Any other refusal drops the body as it comes, at most {@code media.maxBytes}, and keeps the
     * connection, so that the client reads the answer rather than a reset. The quota is decided from the declared
     * length too, before any byte is stored: a body longer than declared is the next request to the codec, and one
     * shorter is an upload that fails and gives its bytes back.
     */
    private void upload(ChannelHandlerContext ctx, HttpRequest request, boolean keepAlive) {
        long length = HttpUtil.getContentLength(request, -1L);
        if (length < 0) {
            respond(
                    ctx,
                    false,
                    HttpResponseStatus.LENGTH_REQUIRED,
                    error(HttpResponses.BAD_REQUEST, "a blob is sent with its Content-Length"));
        } else if (length > media.maxBytes()) {
            respond(
                    ctx,
                    false,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    error(
                            HttpResponses.TOO_LARGE,
                            "a blob may have at most " + media.maxBytes() + " bytes (media.maxBytes); this one has "
                                    + length));
        } else {
            DeviceId caller = caller(ctx, request, keepAlive);
            if (caller != null && admitted(ctx, request, caller.user(), length, keepAlive)) {
                store(ctx, request, caller.user(), length, keepAlive);
            }
        }
    }

    /**
     * Whether an authenticated upload may stream in: its content type, its address's rate, and the bytes it would
     * hold (taken from the user's quota and the store's bound when it may). Answers the refusal when not.
     */
    private boolean admitted(
            ChannelHandlerContext ctx, HttpRequest request, long user, long length, boolean keepAlive) {
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (type == null || !HttpUtil.getMimeType(type).toString().equalsIgnoreCase(OCTET_STREAM)) {
            respond(
                    ctx,
                    keepAlive,
                    HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
                    error(HttpResponses.BAD_REQUEST, "a blob is sent as " + OCTET_STREAM));
            return false;
        }
        long waitNs = resources
                .loop(ctx.channel().eventLoop())
                .takeAddressLimit(LimitKind.MEDIA_UPLOAD, ctx.channel().remoteAddress());
        if (waitNs != 0) {
            HttpResponses.rateLimited(ctx, keepAlive, LimitKind.MEDIA_UPLOAD.refusal, TokenBucket.retryAfterMs(waitNs));
            return false;
        }
        MediaQuota.Refusal refusal = media.reserve(user, length);
        if (refusal == MediaQuota.Refusal.OVER_QUOTA) {
            respond(
                    ctx,
                    keepAlive,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    error(
                            HttpResponses.OVER_QUOTA,
                            "user " + user + " holds " + media.heldBytes(user)
                                    + " bytes of blobs; this one would pass media.userQuotaBytes until some expire"));
        } else if (refusal == MediaQuota.Refusal.STORE_FULL) {
            respond(
                    ctx,
                    keepAlive,
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    error(HttpResponses.UNAVAILABLE, "the media store is full (media.maxStoreBytes); retry later"));
        }
        return refusal == null;
    }

    private void store(ChannelHandlerContext ctx, HttpRequest request, long user, long length, boolean keepAlive) {
        UploadPipe pipe = new UploadPipe(ctx.channel(), PIPE_HIGH_BYTES, PIPE_LOW_BYTES);
        CompletableFuture<String> stored;
        try {
            stored = media.upload(user, length, pipe);
        } catch (RejectedExecutionException e) {
            unavailable(ctx, keepAlive, "every media thread is busy (media.threads); retry");
            return;
        }
        upload = pipe;
        if (HttpUtil.is100ContinueExpected(request)) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
        }
        stored.whenComplete(onLoop(ctx, (id, failure) -> stored(ctx, pipe, length, keepAlive, id, failure)));
    }

    private void stored(
            ChannelHandlerContext ctx, UploadPipe pipe, long length, boolean keepAlive, String id, Throwable failure) {
        if (upload == pipe) {
            upload = null;
        }
        if (failure == null) {
            respond(ctx, keepAlive, HttpResponseStatus.CREATED, Map.of("id", id, "size", length));
        } else if (pipe.aborted()) {
            counters.incrementAtomic(MediaCounter.UPLOADS_ABORTED);
        } else {
            storeFailed(ctx, false, failure);
        }
    }

    private void download(ChannelHandlerContext ctx, HttpRequest request, String id, boolean keepAlive) {
        if (!MediaIds.valid(id)) {
            notFound(ctx, keepAlive, id);
            return;
        }
        String range = request.headers().get(HttpHeaderNames.RANGE);
        String ifNoneMatch = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        ctx.channel().config().setAutoRead(false);
        try {
            media.stat(id).whenComplete(onLoop(ctx, (info, failure) -> {
                if (failure != null) {
                    storeFailed(ctx, keepAlive, failure);
                } else if (info == null) {
                    notFound(ctx, keepAlive, id);
                } else {
                    found(ctx, id, info, range, ifNoneMatch, keepAlive);
                }
            }));
        } catch (RejectedExecutionException e) {
            unavailable(ctx, keepAlive, "every media thread is busy (media.threads); retry");
        }
    }

    private void found(
            ChannelHandlerContext ctx,
            String id,
            BlobInfo info,
            String rangeHeader,
            String ifNoneMatch,
            boolean keepAlive) {
        // Content under an id never changes, so the id is a strong validator.
        String etag = "\"" + id + "\"";
        if (ifNoneMatch != null && (ifNoneMatch.trim().equals("*") || ifNoneMatch.contains(etag))) {
            FullHttpResponse notModified =
                    new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
            notModified.headers().set(HttpHeaderNames.ETAG, etag);
            answered(ctx, keepAlive, notModified);
            return;
        }
        ByteRange range = ByteRange.of(rangeHeader, info.sizeBytes());
        if (!range.satisfiable()) {
            FullHttpResponse unsatisfiable = HttpResponses.json(
                    HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE,
                    error(
                            HttpResponses.BAD_REQUEST,
                            rangeHeader + " is outside the blob's " + info.sizeBytes() + " bytes"));
            unsatisfiable.headers().set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(info.sizeBytes()));
            answered(ctx, keepAlive, unsatisfiable);
            return;
        }
        try {
            media.open(id, range.offset(), range.length()).whenComplete(onLoop(ctx, (input, failure) -> {
                if (failure != null) {
                    storeFailed(ctx, keepAlive, failure);
                } else if (input == null) {
                    notFound(ctx, keepAlive, id);
                } else {
                    send(ctx, input, etag, range, info.sizeBytes(), keepAlive);
                }
            }));
        } catch (RejectedExecutionException e) {
            unavailable(ctx, keepAlive, "every media thread is busy (media.threads); retry");
        }
    }

    private void send(
            ChannelHandlerContext ctx,
            ChunkedInput<ByteBuf> input,
            String etag,
            ByteRange range,
            long size,
            boolean keepAlive) {
        if (!ctx.channel().isActive()) {
            closeQuietly(input);
            return;
        }
        HttpResponse head = new DefaultHttpResponse(
                HttpVersion.HTTP_1_1, range.partial() ? HttpResponseStatus.PARTIAL_CONTENT : HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                .set(HttpHeaderNames.CONTENT_LENGTH, range.length())
                .set(HttpHeaderNames.ETAG, etag)
                .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES)
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        if (range.partial()) {
            head.headers().set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size));
        }
        ctx.pipeline().addBefore(ctx.name(), CHUNKED, new ChunkedWriteHandler());
        downloadProgress = 0;
        progressAtIdle = 0;
        ctx.write(head);
        ctx.writeAndFlush(new HttpChunkedInput(input), ctx.newProgressivePromise())
                .addListener(new ChannelProgressiveFutureListener() {
                    @Override
                    public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
                        downloadProgress = progress;
                    }

                    @Override
                    public void operationComplete(ChannelProgressiveFuture future) {
                        sent(ctx, future, range.length(), keepAlive);
                    }
                });
    }

    private void sent(ChannelHandlerContext ctx, ChannelFuture future, long length, boolean keepAlive) {
        downloadProgress = -1;
        if (ctx.pipeline().get(CHUNKED) != null) {
            ctx.pipeline().remove(CHUNKED);
        }
        if (future.isSuccess()) {
            counters.incrementAtomic(MediaCounter.DOWNLOADS);
            counters.addAtomic(MediaCounter.BYTES_OUT, length);
        }
        if (future.isSuccess() && keepAlive) {
            ctx.channel().config().setAutoRead(true);
        } else {
            ctx.close();
        }
    }

    /** An answer without a body after a lookup: reading resumes once it is written. */
    private static void answered(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        ctx.channel().config().setAutoRead(true);
        HttpResponses.send(ctx, keepAlive, response);
    }

    private static void notFound(ChannelHandlerContext ctx, boolean keepAlive, String id) {
        answered(
                ctx,
                keepAlive,
                HttpResponses.json(
                        HttpResponseStatus.NOT_FOUND,
                        error(HttpResponses.NOT_FOUND, "no blob " + id + ": unknown, or past its retention")));
    }

    private void storeFailed(ChannelHandlerContext ctx, boolean keepAlive, Throwable failure) {
        counters.incrementAtomic(MediaCounter.STORE_ERRORS);
        unavailable(
                ctx,
                keepAlive,
                "the media store failed: " + MediaService.cause(failure).getMessage());
    }

    private static void unavailable(ChannelHandlerContext ctx, boolean keepAlive, String message) {
        answered(
                ctx,
                keepAlive,
                HttpResponses.json(HttpResponseStatus.SERVICE_UNAVAILABLE, error(HttpResponses.UNAVAILABLE, message)));
    }

    /** Runs a store call's outcome on the connection's loop, which owns this handler's state. */
    private static <T> BiConsumer<T, Throwable> onLoop(ChannelHandlerContext ctx, BiConsumer<T, Throwable> then) {
        return (value, failure) -> {
            try {
                ctx.executor().execute(() -> then.accept(value, failure));
            } catch (RejectedExecutionException shuttingDown) {
                // The loop is stopping and closes the connection itself.
            }
        };
    }

    private static void closeQuietly(ChunkedInput<ByteBuf> input) {
        try {
            input.close();
        } catch (Exception e) {
            // A file that will not close has nothing left to tell.
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (upload != null) {
            upload.abort();
            upload = null;
        }
        ctx.fireChannelInactive();
    }

    /**
     * Reading is off while a download is written, so the idle timer sees no reads: a download that made progress since
     * the last idle event keeps its connection; one whose client stopped taking bytes is closed as idle.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && downloadProgress > progressAtIdle) {
            progressAtIdle = downloadProgress;
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
