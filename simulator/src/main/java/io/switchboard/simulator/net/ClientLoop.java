package io.switchboard.simulator.net;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.core.protocol.WireCodec;
import io.switchboard.core.server.SwitchboardServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The thread the virtual clients and the run live on, and how they reach the server. Over WebSocket: a client event
 * loop of its own (epoll when available) and loopback sockets. In-process: the server's own in-process loop and Netty
 * local channels, so a client and its server session share one thread and a message crosses no socket; the server
 * side still runs the HTTP upgrade, WebSocket codec, session handler and JSON codec that a socket client meets.
 * Direct: the thread of a {@link DirectLoop}, where the clients hand commands to the router and take what it sends
 * from their outbox, with nothing in between.
 */
public final class ClientLoop implements AutoCloseable {
    private final MultiThreadIoEventLoopGroup ownGroup;
    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final SocketAddress server;
    private final URI uri;
    /** The direct transport's loop, or null over WebSocket. */
    private final DirectLoop direct;

    private final SwitchboardServer embedded;
    private DeviceConnections clients;
    /** The address socket clients connect from (any port), or null for the one the kernel picks. */
    private InetSocketAddress source;

    /** @param inProcess connect over the server's in-process address (it must have {@code transport.inProcess}) */
    public ClientLoop(boolean inProcess, SwitchboardServer embedded) {
        this(inProcess, embedded, ClientRoute.DIRECT);
    }

    /**
     * @param inProcess connect over the server's in-process address (it must have {@code transport.inProcess})
     * @param route where socket clients connect; in-process clients take no route
     */
    public ClientLoop(boolean inProcess, SwitchboardServer embedded, ClientRoute route) {
        if (inProcess && route != ClientRoute.DIRECT) {
            throw new IllegalArgumentException("in-process clients connect to the server itself");
        }
        uri = URI.create(embedded.webSocketUrl());
        this.embedded = embedded;
        direct = null;
        if (inProcess) {
            ownGroup = null;
            loop = embedded.transport().inProcessLoop();
            channelType = LocalChannel.class;
            server = embedded.transport().inProcessAddress();
        } else {
            ownGroup = socketLoop();
            loop = ownGroup.next();
            channelType = socketChannel();
            server = route.connectTo(new InetSocketAddress(uri.getHost(), uri.getPort()));
        }
    }

    /**
     * Clients on the thread of {@code direct}, which the server was started with ({@link
     * SwitchboardServer#start(io.switchboard.core.config.ServerContext, io.switchboard.core.router.EmbeddedLoop)}).
     * The loop stays its opener's to close, after the server.
     */
    public ClientLoop(DirectLoop direct, SwitchboardServer embedded) {
        this.direct = direct;
        this.embedded = embedded;
        ownGroup = null;
        loop = direct.eventLoop();
        channelType = null;
        server = null;
        uri = null;
    }

    /** Socket clients of a server that runs elsewhere (a process of its own) at {@code webSocket}. */
    public ClientLoop(URI webSocket, ClientRoute route) {
        uri = webSocket;
        ownGroup = socketLoop();
        loop = ownGroup.next();
        channelType = socketChannel();
        server = route.connectTo(new InetSocketAddress(uri.getHost(), uri.getPort()));
        embedded = null;
        direct = null;
    }

    private static MultiThreadIoEventLoopGroup socketLoop() {
        return new MultiThreadIoEventLoopGroup(
                1,
                new DefaultThreadFactory("switchboard-clients"),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    private static Class<? extends Channel> socketChannel() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Socket clients made from now on connect from {@code address}, such as 127.0.0.2: each source address has its own
     * ephemeral ports (about 28,000 by Linux's default range) towards one server address.
     */
    public ClientLoop bindFrom(InetAddress address) {
        if (ownGroup == null) {
            throw new IllegalStateException("only socket clients have a source address");
        }
        source = new InetSocketAddress(address, 0);
        return this;
    }

    public EventLoop loop() {
        return loop;
    }

    public String describe() {
        if (direct != null) {
            return "direct to the router on a thread of their own";
        }
        return ownGroup == null
                ? "in-process on the server's loop"
                : "over loopback WebSockets" + (source == null ? "" : " from " + source.getHostString());
    }

    /** The population of {@code users} virtual users' devices on this loop, speaking sb.json.v1. */
    public VirtualClients clients(
            int users, DeviceSlots slots, VirtualClients.Tokens tokens, VirtualClients.Listener listener) {
        return clients(users, slots, tokens, listener, WireCodec.JSON);
    }

    /** The population of {@code users} virtual users' devices on this loop; it is closed with the loop. */
    public VirtualClients clients(
            int users,
            DeviceSlots slots,
            VirtualClients.Tokens tokens,
            VirtualClients.Listener listener,
            WireCodec wire) {
        if (direct != null) {
            throw new IllegalStateException("direct clients have no WebSocket: use devices(...)");
        }
        // A local channel left to pick its own address names it by a 32-bit hash, which collides among tens of
        // thousands of live channels ("address already in use"); a serial number cannot.
        InetSocketAddress from = source;
        IntFunction<SocketAddress> localAddress = ownGroup == null
                ? serial -> new LocalAddress("switchboard-client-" + serial)
                : from == null ? null : serial -> from;
        VirtualClients sockets =
                new VirtualClients(users, slots, loop, channelType, server, localAddress, uri, tokens, listener, wire);
        clients = sockets;
        return sockets;
    }

    /** The population of {@code users} virtual users' devices on this loop, whatever the transport. */
    public DeviceConnections devices(
            int users,
            DeviceSlots slots,
            VirtualClients.Tokens tokens,
            VirtualClients.Listener listener,
            WireCodec wire) {
        if (direct == null) {
            return clients(users, slots, tokens, listener, wire);
        }
        clients = direct.clients(users, slots, embedded.router(), embedded.accounts(), tokens, listener);
        return clients;
    }

    /**
     * A virtual device's token, derived from a seed so that the simulator keeps no token per device: for accounts a
     * load registers in bulk ({@code AccountStore.registerAll}, companions {@code AccountStore.linkAll}) on a scratch
     * server it owns, never for real accounts.
     * Each device of a user has a token of its own, as registration gives; device 1's is the one users had before
     * they had several devices.
     */
    public static String token(long seed, long user, int device) {
        SplittableRandom random =
                new SplittableRandom(seed ^ (user * 0x9E3779B97F4A7C15L) ^ ((device - 1L) * 0xC2B2AE3D27D4EB4FL));
        return "sim-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }

    @Override
    public void close() {
        if (clients != null) {
            loop.submit(clients::closeAll).syncUninterruptibly();
        }
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
