package io.switchboard.simulator.loopback;

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
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.server.SwitchboardServer;
import io.switchboard.core.transport.NettyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs one loopback measurement: an embedded server of the given variant on a free port, 2 x pairs registered
 * devices connected over real WebSockets from one client I/O thread, the open-loop load of a {@link LoadRun}, then
 * everything torn down. Server and client share this machine's cores; the result says so.
 */
final class LoopbackBenchmark {
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private LoopbackBenchmark() {}

    static LoadResult run(String variant, Map<String, String> serverSettings, LoadSpec spec) throws Exception {
        Path data = Files.createTempDirectory("switchboard-loopback");
        Settings settings = Settings.empty().with("server.port", 0, "loopback").with("server.data", data, "loopback");
        serverSettings.forEach((key, value) -> settings.with(key, value, "variant " + variant));
        IoHandlerFactory handlers = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        MultiThreadIoEventLoopGroup clients =
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("loopback-client"), handlers);
        try (SwitchboardServer server = SwitchboardServer.start(ServerContext.conclude(settings))) {
            LoadRun run = new LoadRun(spec);
            List<String> tokens = register(server.httpUrl(), 2 * spec.pairs());
            URI uri = URI.create(server.webSocketUrl());
            EventLoop loop = clients.next();
            List<Channel> channels = new ArrayList<>();
            for (int i = 0; i < tokens.size(); i++) {
                LoadConnection connection = new LoadConnection(run, i, LoadRun.userOf(i), tokens.get(i));
                run.add(connection);
                channels.add(connect(loop, uri, connection));
            }
            run.welcomed().get(60, TimeUnit.SECONDS);
            run.start(loop);
            long budget = spec.warmup().plus(spec.duration()).plus(spec.drain()).toSeconds() + 30;
            run.finished().get(budget, TimeUnit.SECONDS);
            LoadResult result =
                    loop.submit(() -> run.result(variant, serverSettings)).get();
            for (Channel channel : channels) {
                channel.close().syncUninterruptibly();
            }
            return result;
        } finally {
            clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            deleteRecursively(data);
        }
    }

    private static Channel connect(EventLoop loop, URI uri, LoadConnection connection) throws InterruptedException {
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(NettyServer.JSON_SUBPROTOCOL)
                .maxFramePayloadLength(16 * 1024 * 1024)
                .build();
        return new Bootstrap()
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
    }

    private static List<String> register(String httpUrl, int devices) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl + "/v1/accounts"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":" + LoadRun.userOf(i) + ",\"device\":1}"))
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

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
