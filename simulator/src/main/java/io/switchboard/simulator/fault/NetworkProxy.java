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
 * <p>Slow readers reach the server through a lane of their own ({@link #slowLane}), which passes bytes on as the rest
 * does but, while {@link #slowReaders} is on, paces what the server sends them to a set rate and holds at most
 * {@link #SLOW_HELD_BYTES} of it, about a TCP receive window: past that it stops reading, the server's socket fills,
 * and the server meets a slow reader as it would over a real network.
 *
 * <p>Bounded: a direction holding more than {@link #MAX_HELD_BYTES} stops reading its side until it drains, so a slow
 * network pushes back on the sender as a full TCP window does. Thread-safe: the profile and the partition are set from
 * any thread; everything else runs on the proxy's thread.
 */
public final class NetworkProxy implements ClientRoute, AutoCloseable {
    static final int MAX_HELD_BYTES = 1 << 20;
    static final int SLOW_HELD_BYTES = 64 * 1024;

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("switchboard-network"), NioIoHandler.newFactory());
    private final SplittableRandom random;
    private final Set<Channel> clients = ConcurrentHashMap.newKeySet();
    /** What the server sends the slow readers, each direction held by the slow lane. */
    private final Set<Link> slowLinks = ConcurrentHashMap.newKeySet();

    private volatile NetworkProfile profile = NetworkProfile.NONE;
    private volatile boolean partitioned;
    /** What the slow lane's readers take a second; 0 while no {@code slowReaders} fault is on. */
    private volatile long slowBytesPerSecond;

    private final AtomicLong dropped = new AtomicLong();
    private Channel listener;
    private Channel slowListener;

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

    /** From now on, the slow lane's readers read {@code bytesPerSecond}; 0 for as fast as the rest. */
    public void slowReaders(long bytesPerSecond) {
        this.slowBytesPerSecond = bytesPerSecond;
        if (bytesPerSecond == 0) {
            // What was held at the slow pace goes now, as a network that is fast again would let it.
            slowLinks.forEach(link -> link.from.eventLoop().execute(link::passOnHeld));
        }
    }

    /** Connections the network dropped (a profile's disconnects and partitions). */
    public long dropped() {
        return dropped.get();
    }

    @Override
    public synchronized InetSocketAddress connectTo(InetSocketAddress server) {
        if (listener == null) {
            listener = ProxySockets.listen(group, client -> client.pipeline().addLast(new ClientSide(server, false)));
        }
        return (InetSocketAddress) listener.localAddress();
    }

    /** Where the slow readers connect to reach {@code server}: the network as {@link #connectTo}, and their pace. */
    public synchronized InetSocketAddress slowLane(InetSocketAddress server) {
        if (slowListener == null) {
            slowListener =
                    ProxySockets.listen(group, client -> client.pipeline().addLast(new ClientSide(server, true)));
        }
        return (InetSocketAddress) slowListener.localAddress();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The client's connection: refused in a partition, else joined to a new connection to the server. */
    private final class ClientSide extends ChannelInboundHandlerAdapter {
        private final InetSocketAddress server;
        private final boolean slow;
        private Link toServer;

        ClientSide(InetSocketAddress server, boolean slow) {
            this.server = server;
            this.slow = slow;
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
                            upstream -> upstream.pipeline().addLast(new Link(upstream, client, false, slow)))
                    .addListener((ChannelFutureListener) connected -> {
                        if (!connected.isSuccess()) {
                            client.close();
                            return;
                        }
                        Channel upstream = connected.channel();
                        toServer = new Link(client, upstream, true, false);
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
     * at a time ahead ({@code AUTO_READ} off) while it holds less than {@link #MAX_HELD_BYTES}, or less than {@link
     * #SLOW_HELD_BYTES} when it carries what the server sends a slow reader.
     */
    private final class Link extends ChannelInboundHandlerAdapter {
        private final Channel from;
        private final Channel to;
        private final boolean upload;
        private final boolean slow;
        private final int maxHeld;
        private long lastDueNs;
        private long held;
        /** What was read and not yet passed on, oldest first. */
        private final ArrayDeque<ByteBuf> pending = new ArrayDeque<>();

        Link(Channel from, Channel to, boolean upload, boolean slow) {
            this.from = from;
            this.to = to;
            this.upload = upload;
            this.slow = slow;
            this.maxHeld = slow ? SLOW_HELD_BYTES : MAX_HELD_BYTES;
            if (slow) {
                slowLinks.add(this);
            }
            // A closed connection's bytes in flight are dropped, as TCP drops them, and not left unreleased.
            to.closeFuture().addListener(closed -> {
                slowLinks.remove(this);
                passOnHeld();
            });
        }

        /** Passes on (or, once {@code to} closed, releases) everything held, in order, now. */
        void passOnHeld() {
            while (!pending.isEmpty()) {
                deliverOldest(); // reads on once it holds less than its most
            }
            lastDueNs = System.nanoTime();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            NetworkProfile now = profile;
            long slowRate = slow ? slowBytesPerSecond : 0;
            if (now == NetworkProfile.NONE && slowRate == 0 && held == 0) {
                to.writeAndFlush(bytes);
                from.read();
                return;
            }
            long nowNs = System.nanoTime();
            int size = bytes.readableBytes();
            long bytesPerSecond = slowest(upload ? now.uploadBytesPerSecond() : now.downloadBytesPerSecond(), slowRate);
            long sendingNs = bytesPerSecond <= 0 ? 0 : size * 1_000_000_000L / bytesPerSecond;
            long jitterNs = now.jitterMs() == 0 ? 0 : (long) ((random.nextDouble() * 2 - 1) * now.jitterMs() * 1e6);
            long dueNs = Math.max(lastDueNs + sendingNs, nowNs + now.latencyMs() * 1_000_000L + jitterNs);
            lastDueNs = dueNs;
            held += size;
            pending.add(bytes);
            from.eventLoop().schedule(this::deliverOldest, dueNs - nowNs, TimeUnit.NANOSECONDS);
            if (held < maxHeld) {
                from.read();
            }
        }

        /** The lower of two rates, either of which may be 0 for none. */
        private static long slowest(long rate, long otherRate) {
            return rate <= 0 ? otherRate : otherRate <= 0 ? rate : Math.min(rate, otherRate);
        }

        /**
         * Passes on the oldest buffer held: two tasks due at nearly the same time may run in either order (each delay is
         * taken from its own clock reading), the bytes never do.
         */
        private void deliverOldest() {
            ByteBuf bytes = pending.poll();
            if (bytes == null) {
                return; // passed on early by passOnHeld
            }
            int size = bytes.readableBytes();
            boolean wasFull = held >= maxHeld;
            held -= size;
            if (to.isActive()) {
                to.writeAndFlush(bytes);
            } else {
                ReferenceCountUtil.release(bytes);
            }
            if (wasFull && held < maxHeld) {
                from.read();
            }
        }
    }
}
