package io.switchboard.simulator.fault;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The two sockets of a proxy between the virtual clients and a server on loopback (the simulator's network, and the
 * tests' faulty server): a listener on an ephemeral loopback port, and per client a connection to the server on the
 * client's own event loop, so that both halves of a pair share one thread. Both set {@code TCP_NODELAY}: a proxy must
 * not add Nagle's delay to what it models.
 */
public final class ProxySockets {
    private ProxySockets() {}

    /**
     * Listens on an ephemeral loopback port; each client's channel starts without reading ({@code AUTO_READ} off) until
     * its handlers ask, and {@code client} adds them.
     */
    public static Channel listen(EventLoopGroup group, Consumer<SocketChannel> client) {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        client.accept(channel);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
    }

    /** Connects to {@code server} on {@code client}'s event loop; {@code upstream} adds the new channel's handlers. */
    public static ChannelFuture connect(
            Channel client, InetSocketAddress server, boolean autoRead, Consumer<SocketChannel> upstream) {
        return new Bootstrap()
                .group(client.eventLoop())
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, autoRead)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        upstream.accept(channel);
                    }
                })
                .connect(server);
    }
}
