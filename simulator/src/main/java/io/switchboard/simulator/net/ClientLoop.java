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
 */
public final class ClientLoop implements AutoCloseable {
    private final MultiThreadIoEventLoopGroup ownGroup;
    private final EventLoop loop;
    private final Class<? extends Channel> channelType;
    private final SocketAddress server;
    private final URI uri;
    private VirtualClients clients;

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
        if (inProcess) {
            ownGroup = null;
            loop = embedded.transport().inProcessLoop();
            channelType = LocalChannel.class;
            server = embedded.transport().inProcessAddress();
        } else {
            boolean epoll = Epoll.isAvailable();
            ownGroup = new MultiThreadIoEventLoopGroup(
                    1,
                    new DefaultThreadFactory("switchboard-clients"),
                    epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            loop = ownGroup.next();
            channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
            server = route.connectTo(new InetSocketAddress(uri.getHost(), uri.getPort()));
        }
    }

    public EventLoop loop() {
        return loop;
    }

    public String describe() {
        return ownGroup == null ? "in-process on the server's loop" : "over loopback WebSockets";
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
        // A local channel left to pick its own address names it by a 32-bit hash, which collides among tens of
        // thousands of live channels ("address already in use"); a serial number cannot.
        IntFunction<SocketAddress> localAddress =
                ownGroup == null ? serial -> new LocalAddress("switchboard-client-" + serial) : null;
        clients =
                new VirtualClients(users, slots, loop, channelType, server, localAddress, uri, tokens, listener, wire);
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
