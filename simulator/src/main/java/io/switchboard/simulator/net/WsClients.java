package io.switchboard.simulator.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchboard.core.transport.NettyServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client side of a network load: one Netty I/O thread (epoll when available) that all {@link WsConnection}s run
 * on, plus registration of the virtual users over HTTP. One process holds at most about 19k sockets here (the
 * open-files limit), which bounds how many connections one load can open.
 */
public final class WsClients implements AutoCloseable {
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final List<Channel> channels = new ArrayList<>();

    public WsClients(String threadName) {
        IoHandlerFactory handlers = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName), handlers);
        loop = group.next();
    }

    /** The client I/O thread: every connection's events and the load's own ticks run here. */
    public EventLoop loop() {
        return loop;
    }

    /** Registers device 1 of users {@code userOf(0..count-1)} and returns their tokens in order. */
    private static List<String> register(String httpUrl, int count) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        List<String> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl + "/v1/accounts"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":" + userOf(i) + ",\"device\":1}"))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher token = TOKEN.matcher(response.body());
            if (response.statusCode() != 201 || !token.find()) {
                throw new IOException("registration failed: " + response.statusCode() + " " + response.body());
            }
            tokens.add(token.group(1));
        }
        return tokens;
    }

    /**
     * Registers {@code count} users (user i+1 for connection i, device 1) on the server and connects each over
     * WebSocket, reporting to {@code listener}; returns the connections in index order.
     */
    public List<WsConnection> registerAndConnect(
            String httpUrl, String webSocketUrl, int count, WsConnection.Listener listener)
            throws IOException, InterruptedException {
        List<String> tokens = register(httpUrl, count);
        URI uri = URI.create(webSocketUrl);
        List<WsConnection> connections = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            WsConnection connection = new WsConnection(listener, i, userOf(i), tokens.get(i));
            connections.add(connection);
            connect(uri, connection);
        }
        return connections;
    }

    /** The user id of connection {@code index}: user ids start at 1. */
    public static long userOf(long index) {
        return index + 1;
    }

    /** Opens a WebSocket with sb.json.v1; the connection says hello once the handshake completes. */
    public void connect(URI uri, WsConnection connection) throws InterruptedException {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(NettyServer.JSON_SUBPROTOCOL)
                .maxFramePayloadLength(16 * 1024 * 1024)
                .build();
        Channel channel = new Bootstrap()
                .group(loop)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline()
                                .addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(new WebSocketClientProtocolHandler(config))
                                .addLast(connection);
                    }
                })
                .connect(uri.getHost(), uri.getPort())
                .sync()
                .channel();
        channels.add(channel);
    }

    @Override
    public void close() {
        for (Channel channel : channels) {
            channel.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
