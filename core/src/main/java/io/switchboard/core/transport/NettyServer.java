package io.switchboard.core.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.config.Routing;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.TransportContext;
import io.switchboard.core.keys.KeyStore;
import io.switchboard.core.media.MediaService;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.protocol.WireCodec;
import io.switchboard.core.router.ConnectionRef;
import io.switchboard.core.router.EmbeddedLoop;
import io.switchboard.core.router.IoLoop;
import io.switchboard.core.router.Router;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The network side of the server: WebSocket at {@code /ws} and HTTP (media streamed by {@link MediaHandler}) on one port, native epoll when the platform has
 * it and NIO otherwise, with the router it is given (the server, its composition root, picks the variant) wired to the I/O
 * loops.
 *
 * <p>With {@code transport.inProcess} the same pipeline (HTTP upgrade, WebSocket, {@link SessionHandler}) is also
 * bound on a Netty {@link LocalAddress}, served by one more I/O loop of its own: Netty's local channels need an event
 * loop with a {@link LocalIoHandler}, which cannot serve sockets. Clients in this JVM connect to it with a
 * {@code LocalChannel} on that same loop ({@link #inProcessLoop()}), so no socket and no thread hop is involved.
 */
public final class NettyServer implements AutoCloseable {
    /** Subprotocol of the JSON encoding; a client that asks for none gets it too. */
    public static final String JSON_SUBPROTOCOL = WireCodec.JSON.subprotocol();

    /** Subprotocol of the binary encoding, chosen by a client that asks for it. */
    public static final String BINARY_SUBPROTOCOL = WireCodec.BINARY.subprotocol();

    static final int MAX_HTTP_REQUEST_BYTES = 64 * 1024;
    /** {@code PUT /v1/keys}: a batch of 100 one-time EC and 100 Kyber pre-keys is about 280 KB of JSON. */
    static final int MAX_KEYS_REQUEST_BYTES = 512 * 1024;
    /** Threads that run account changes and key uploads and fetches; each mostly waits for its log's shared force. */
    private static final int ACCOUNT_THREADS = 4;

    private final ServerContext context;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup ioGroup;
    /** The in-process loop's group, or null without {@code transport.inProcess}. */
    private final EventLoopGroup localGroup;

    private final Channel localChannel;
    private final ThreadPoolExecutor accountWork;
    private final ThreadPoolExecutor scrapes;
    private final Router router;
    private final Channel serverChannel;
    /** The admin address's listener, or null when metrics and the dashboard are on the public port. */
    private final Channel adminChannel;

    private final boolean nativeTransport;

    /**
     * What the transport offers the router it is given: its I/O loops (sharded routing writes to their outboxes) and a
     * writer to any connection from any thread (locked routing writes from whichever thread holds a stripe).
     */
    public interface Wiring {
        List<IoLoop> loops();

        /** Makes, once per calling thread, an {@link Outbound} that writes and flushes to any connection. */
        Supplier<Outbound> channelWriters();
    }

    private NettyServer(
            ServerContext context,
            AccountStore accounts,
            KeyStore keys,
            ServerMetrics metrics,
            MediaService media,
            EmbeddedLoop embedded,
            Function<Wiring, Router> routers)
            throws InterruptedException {
        this.context = context;
        TransportContext transport = context.transport();
        if (transport.ioThreads() + (transport.inProcess() ? 1 : 0) + (embedded != null ? 1 : 0)
                > ConnectionRef.MAX_LOOPS) {
            throw new IllegalArgumentException("at most " + ConnectionRef.MAX_LOOPS
                    + " I/O threads, the in-process and the embedded ones included");
        }
        nativeTransport = Epoll.isAvailable();
        IoHandlerFactory handlers = nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        bossGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("switchboard-accept"), handlers);
        ioGroup = new MultiThreadIoEventLoopGroup(
                transport.ioThreads(), new DefaultThreadFactory("switchboard-io"), handlers);
        localGroup = transport.inProcess()
                ? new MultiThreadIoEventLoopGroup(
                        1, new DefaultThreadFactory("switchboard-inprocess"), LocalIoHandler.newFactory())
                : null;
        boolean locked = context.router().routing() == Routing.LOCKED;
        List<LoopResources> loops = new ArrayList<>();
        for (EventExecutor executor : ioGroup) {
            loops.add(new LoopResources(
                    loops.size(), (EventLoop) executor, metrics, locked, context.limits(), transport.loopHighTasks()));
        }
        if (localGroup != null) {
            loops.add(new LoopResources(
                    loops.size(), localGroup.next(), metrics, locked, context.limits(), transport.loopHighTasks()));
        }
        ServerResources resources = new ServerResources(context, accounts, loops);
        List<IoLoop> ioLoops = new ArrayList<>(loops);
        if (embedded != null) {
            String index = Integer.toString(ioLoops.size());
            ioLoops.add(embedded.attach(ioLoops.size(), metrics.newLoopCounters(index)));
        }
        router = routers.apply(new Wiring() {
            @Override
            public List<IoLoop> loops() {
                return List.copyOf(ioLoops);
            }

            @Override
            public Supplier<Outbound> channelWriters() {
                return () -> new ChannelOutbound(resources.sessions(), true, null);
            }
        });
        resources.router(router);
        // Account changes mostly wait for the account log's force, which they share (group commit): several threads
        // let one force cover several of them. Scrapes get their own thread so that a flood of either never queues
        // the other.
        accountWork = executor(ACCOUNT_THREADS, 1024, "switchboard-accounts");
        scrapes = executor(1, 16, "switchboard-scrapes");
        router.start();
        AccountEndpoints.AddressLimiter addressLimits =
                (channel, kind) -> resources.loop(channel.eventLoop()).takeAddressLimit(kind, channel.remoteAddress());
        AccountEndpoints accountEndpoints = new AccountEndpoints(
                accounts,
                keys::removeDevice,
                context.accounts().registrationKey(),
                accountWork,
                router::removeDevice,
                resources::closeRotated,
                addressLimits);
        KeyEndpoints keyEndpoints = new KeyEndpoints(
                accounts,
                keys,
                context.keys(),
                accountWork,
                addressLimits,
                channel -> resources.loop(channel.eventLoop()).counters(),
                resources::keysLow);
        AdminEndpoints admin = new AdminEndpoints(metrics, scrapes, transport.maxDashboardStreams());
        HttpHandler http = new HttpHandler(accountEndpoints, keyEndpoints, transport.separateAdmin() ? null : admin);
        serverChannel = children(socketBootstrap(), transport, http, resources, media)
                .bind(transport.host(), transport.port())
                .sync()
                .channel();
        adminChannel = transport.separateAdmin()
                ? socketBootstrap()
                        .childHandler(new ChannelInitializer<Channel>() {
                            @Override
                            protected void initChannel(Channel channel) {
                                adminPipeline(channel.pipeline(), transport, new HttpHandler(null, null, admin));
                            }
                        })
                        .bind(transport.adminHost(), transport.adminPort())
                        .sync()
                        .channel()
                : null;
        localChannel = localGroup == null
                ? null
                : children(
                                new ServerBootstrap().group(localGroup).channel(LocalServerChannel.class),
                                transport,
                                http,
                                resources,
                                media)
                        .bind(new LocalAddress(NettyServer.class))
                        .sync()
                        .channel();
    }

    private ServerBootstrap socketBootstrap() {
        return new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(nativeTransport ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true);
    }

    /** The admin address speaks HTTP only: metrics and the dashboard, no accounts, no WebSocket. */
    private static void adminPipeline(ChannelPipeline pipeline, TransportContext transport, HttpHandler admin) {
        pipeline.addLast(new IdleStateHandler(transport.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(MAX_HTTP_REQUEST_BYTES))
                .addLast(admin);
    }

    /** A bounded pool of daemon threads: a full queue refuses work (the handlers answer 503). */
    private static ThreadPoolExecutor executor(int threads, int queued, String name) {
        return new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queued),
                new DefaultThreadFactory(name, true));
    }

    /** Every accepted connection, socket or in-process, gets the same options and pipeline. */
    private static ServerBootstrap children(
            ServerBootstrap bootstrap,
            TransportContext transport,
            HttpHandler http,
            ServerResources resources,
            MediaService media) {
        return bootstrap
                .childOption(
                        ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(transport.writeBufferLowBytes(), transport.writeBufferHighBytes()))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        pipeline(channel.pipeline(), transport, http, resources, media);
                    }
                });
    }

    static void pipeline(
            ChannelPipeline pipeline,
            TransportContext transport,
            HttpHandler http,
            ServerResources resources,
            MediaService media) {
        WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(transport.maxFrameBytes())
                .allowExtensions(false)
                // Protocol violations reach SessionHandler, which answers with an error frame before closing.
                .closeOnProtocolViolation(false)
                .build();
        WebSocketServerProtocolConfig websocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(HttpHandler.WEBSOCKET_PATH)
                .subprotocols(JSON_SUBPROTOCOL + "," + BINARY_SUBPROTOCOL)
                .decoderConfig(decoder)
                .build();
        // First in the pipeline, so that every byte read counts as activity, HTTP requests included: HttpHandler
        // consumes those, and a timer behind it would close a busy keep-alive connection as idle.
        pipeline.addLast(new IdleStateHandler(transport.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS))
                .addLast(new HttpServerCodec())
                // Before the aggregator: a media request's body streams through in chunks and is never aggregated.
                .addLast(new MediaHandler(media, resources))
                .addLast(new RequestBodyAggregator(MAX_HTTP_REQUEST_BYTES, MAX_KEYS_REQUEST_BYTES))
                .addLast(http)
                .addLast(new WebSocketServerProtocolHandler(websocket))
                .addLast(new WebSocketFrameAggregator(transport.maxFrameBytes()))
                .addLast(new SessionHandler(resources));
    }

    /**
     * Binds and starts serving, with the router that {@code routers} builds on this transport's wiring, whose loops
     * end with {@code embedded} when it is not null.
     */
    public static NettyServer start(
            ServerContext context,
            AccountStore accounts,
            KeyStore keys,
            ServerMetrics metrics,
            MediaService media,
            EmbeddedLoop embedded,
            Function<Wiring, Router> routers)
            throws InterruptedException {
        return new NettyServer(context, accounts, keys, metrics, media, embedded, routers);
    }

    /** The bound port (useful when the configured port was 0). */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The bound admin port, or -1 when metrics and the dashboard are served on {@link #port()}. */
    public int adminPort() {
        return adminChannel == null ? -1 : ((InetSocketAddress) adminChannel.localAddress()).getPort();
    }

    /** The in-process address; throws unless {@code transport.inProcess} is on. */
    public LocalAddress inProcessAddress() {
        return (LocalAddress) requireInProcess().localAddress();
    }

    /** The loop that serves in-process connections; clients connect their {@code LocalChannel}s on it too. */
    public EventLoop inProcessLoop() {
        return requireInProcess().eventLoop();
    }

    private Channel requireInProcess() {
        if (localChannel == null) {
            throw new IllegalStateException(TransportContext.IN_PROCESS_PROP + " is off");
        }
        return localChannel;
    }

    public String transportName() {
        return nativeTransport ? "epoll" : "nio";
    }

    public ServerContext context() {
        return context;
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        if (adminChannel != null) {
            adminChannel.close().syncUninterruptibly();
        }
        if (localChannel != null) {
            localChannel.close().syncUninterruptibly();
            localGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        router.close();
        accountWork.shutdown();
        scrapes.shutdown();
    }
}
