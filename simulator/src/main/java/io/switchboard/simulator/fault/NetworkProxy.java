package io.switchboard.simulator.fault;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.simulator.net.ClientRoute;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user-space network between the virtual clients and the server, on loopback (this machine's kernel has no netem):
 * a TCP proxy on a thread of its own that passes bytes on both ways, and, while a {@link NetworkProfile} is on, delays
 * each read by the profile's one-way latency plus a jitter drawn from the seed, paces each direction to the profile's
 * bandwidth, and drops each connection after an exponential time with the profile's mean. Bytes keep their order, as
 * TCP keeps them: a read never overtakes the one before it. A {@link #partition} drops every connection and refuses
 * new ones until it ends.
 *
 * <p>Bounded: a direction holding more than {@link #MAX_HELD_BYTES} stops reading its side until it drains, so a slow
 * network pushes back on the sender as a full TCP window does. Thread-safe: the profile and the partition are set from
 * any thread; everything else runs on the proxy's thread.
 */
public final class NetworkProxy implements ClientRoute, AutoCloseable {
    static final int MAX_HELD_BYTES = 1 << 20;

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("switchboard-network"), NioIoHandler.newFactory());
    private final SplittableRandom random;
    private final Set<Channel> clients = ConcurrentHashMap.newKeySet();
    private volatile NetworkProfile profile = NetworkProfile.NONE;
    private volatile boolean partitioned;
    private final AtomicLong dropped = new AtomicLong();
    private Channel listener;

    /** @param seed where the jitter and the drops come from */
    public NetworkProxy(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * From now on, the network behaves as {@code profile}; {@link NetworkProfile#NONE} for a perfect one. Connections
     * open now get their drop time from it too.
     */
    public void profile(NetworkProfile profile) {
        this.profile = profile;
        clients.forEach(client -> client.eventLoop().execute(() -> scheduleDrop(client)));
    }

    /** On the proxy's thread: drops the client's connection after an exponential time, if the profile drops. */
    private void scheduleDrop(Channel client) {
        double meanSeconds = profile.meanSecondsBetweenDrops();
        if (meanSeconds > 0) {
            long afterMs = (long) (-Math.log(1 - random.nextDouble()) * meanSeconds * 1000);
            client.eventLoop().schedule(() -> drop(client), afterMs, TimeUnit.MILLISECONDS);
        }
    }

    private void drop(Channel client) {
        if (client.isActive() && profile.meanSecondsBetweenDrops() > 0) {
            dropped.incrementAndGet();
            client.close();
        }
    }

    /** Drops every connection now and refuses new ones while {@code on}. */
    public void partition(boolean on) {
        partitioned = on;
        if (on) {
            for (Channel client : clients) {
                dropped.incrementAndGet();
                client.close();
            }
        }
    }

    /** Connections the network dropped (a profile's disconnects and partitions). */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public synchronized InetSocketAddress connectTo(InetSocketAddress server) {
        if (listener == null) {
            listener = ProxySockets.listen(group, client -> client.pipeline().addLast(new ClientSide(server)));
        }
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The client's connection: refused in a partition, else joined to a new connection to the server. */
    private final class ClientSide extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress server;
        private Link toServer;

        ClientSide(InetSocketAddress server) {
            this.server = server;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel client = ctx.channel();
            if (partitioned) {
                dropped.incrementAndGet();
                client.close();
                return;
            }
            clients.add(client);
            client.closeFuture().addListener(closed -> clients.remove(client));
            scheduleDrop(client);
            ProxySockets.connect(
                            client,
                            server,
                            false,
                            upstream -> upstream.pipeline().addLast(new Link(upstream, client, false)))
                    .addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            client.close();
                            return;
                        }
                        Channel upstream = connected.channel();
                        toServer = new Link(client, upstream, true);
                        upstream.closeFuture().addListener(closed -> client.close());
                        client.read();
                        upstream.read();
                    });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            toServer.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (toServer != null) {
                toServer.to.close();
            }
        }
    }

    /**
     * One direction: what {@code from} reads goes to {@code to} after the profile's delay, in order. Reads one buffer
     * at a time ahead ({@code AUTO_READ} off) while it holds less than {@link #MAX_HELD_BYTES}.
     */
    private final class Link extends ChannelInboundHandlerAdapter {
        private final Channel from;
        private final Channel to;
        private final boolean upload;
        private long lastDueNs;
        private long held;
        /** What was read and not yet passed on, oldest first. */
        private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();

        Link(Channel from, Channel to, boolean upload) {
            this.from = from;
            this.to = to;
            this.upload = upload;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            NetworkProfile now = profile;
            if (now == NetworkProfile.NONE && held == 0) {
                to.writeAndFlush(bytes);
                from.read();
                return;
            }
            long nowNs = System.nanoTime();
            int size = bytes.readableBytes();
            long bytesPerSecond = upload ? now.uploadBytesPerSecond() : now.downloadBytesPerSecond();
            long sendingNs = bytesPerSecond <= 0 ? 0 : size * 1_000_000_000L / bytesPerSecond;
            long jitterNs = now.jitterMs() == 0 ? 0 : (long) ((random.nextDouble() * 2 - 1) * now.jitterMs() * 1e6);
            long dueNs = Math.max(lastDueNs + sendingNs, nowNs + now.latencyMs() * 1_000_000L + jitterNs);
            lastDueNs = dueNs;
            held += size;
            pending.add(bytes);
            from.eventLoop().schedule(this::deliverOldest, dueNs - nowNs, TimeUnit.NANOSECONDS);
            if (held < MAX_HELD_BYTES) {
                from.read();
            }
        }

        /**
         * Passes on the oldest buffer held: two tasks due at nearly the same time may run in either order (each delay is
         * taken from its own clock reading), the bytes never do.
         */
        private void deliverOldest() {
            ByteBuf bytes = pending.poll();
            int size = bytes.readableBytes();
            boolean wasFull = held >= MAX_HELD_BYTES;
            held -= size;
            if (to.isActive()) {
                to.writeAndFlush(bytes);
            } else {
                ReferenceCountUtil.release(bytes);
            }
            if (wasFull && held < MAX_HELD_BYTES) {
                from.read();
            }
        }
    }
}
