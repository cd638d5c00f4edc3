package io.switchboard.core.transport;

import static io.switchboard.core.transport.HttpResponses.error;
import static io.switchboard.core.transport.HttpResponses.respond;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.metrics.DashboardSnapshot;
import io.switchboard.core.metrics.ServerMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The live dashboard: static files under {@code /dashboard/} from the classpath (the page, its script, and the chart
 * library vendored from a WebJar at build time, so the page works with no internet), and {@code /dashboard/events},
 * a Server-Sent Events stream of one {@link DashboardSnapshot} a second.
 */
final class DashboardHandler {
    static final String PREFIX = "/dashboard";
    static final String EVENTS = PREFIX + "/events";
    private static final String STATIC_ROOT = "dashboard/";
    private static final String UPLOT_ROOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Path segments of letters, digits, '-' and '_', the last with an extension: no directory, no "..". */
    private static final Pattern FILE = Pattern.compile("([A-Za-z0-9_-]+/)*[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)+");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8");

    private final ServerMetrics metrics;
    private final int maxStreams;
    /** Streams open now, on any I/O loop. */
    private final AtomicInteger streams = new AtomicInteger();

    DashboardHandler(ServerMetrics metrics, int maxStreams) {
        this.metrics = metrics;
        this.maxStreams = maxStreams;
    }

    /** Answers a request under {@code /dashboard}; false when the path is not one of its files. */
    boolean handle(ChannelHandlerContext ctx, String path, boolean keepAlive) {
        if (path.equals(EVENTS)) {
            if (streams.incrementAndGet() > maxStreams) {
                streams.decrementAndGet();
                // Each stream costs a snapshot of every meter a second: a cap keeps browsers from buying the CPU.
                respond(
                        ctx,
                        keepAlive,
                        HttpResponseStatus.SERVICE_UNAVAILABLE,
                        error(
                                HttpResponses.UNAVAILABLE,
                                maxStreams + " dashboard streams are open, the most allowed"
                                        + " (transport.maxDashboardStreams)"));
            } else {
                stream(ctx);
            }
            return true;
        }
        String file =
                path.equals(PREFIX) || path.equals(PREFIX + "/") ? "index.html" : path.substring(PREFIX.length() + 1);
        String extension = file.substring(file.lastIndexOf('.') + 1);
        // Only files of the page's own types: a class loader reading from a directory would list a directory's
        // entries for a path that names one (and ".." would climb out of the root).
        if (!FILE.matcher(file).matches() || !TYPES.containsKey(extension)) {
            return false;
        }
        String resource = file.startsWith("vendor/uplot/")
                ? UPLOT_ROOT + file.substring("vendor/uplot/".length())
                : STATIC_ROOT + file;
        byte[] bytes = read(resource);
        if (bytes == null) {
            return false;
        }
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(bytes));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, TYPES.get(extension))
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        ctx.writeAndFlush(response);
        return true;
    }

    private static byte[] read(String resource) {
        try (InputStream in = DashboardHandler.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a snapshot now and every second until the browser goes away. */
    private void stream(ChannelHandlerContext ctx) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ctx.writeAndFlush(head);
        ctx.channel().attr(HttpHandler.KIND).set(HttpHandler.ConnectionKind.DASHBOARD_STREAM);
        DashboardSnapshot snapshots = new DashboardSnapshot(metrics);
        ScheduledFuture<?> ticks = ctx.executor()
                .scheduleAtFixedRate(
                        () -> {
                            if (!ctx.channel().isWritable()) {
                                return; // a browser that stopped reading gets no backlog, just the next snapshot it can
                                // take
                            }
                            try {
                                byte[] event = ("data: " + JSON.writeValueAsString(snapshots.take()) + "\n\n")
                                        .getBytes(StandardCharsets.UTF_8);
                                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(event)))
                                        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        0,
                        1,
                        TimeUnit.SECONDS);
        ctx.channel().closeFuture().addListener(closed -> {
            ticks.cancel(false);
            streams.decrementAndGet();
        });
    }
}
