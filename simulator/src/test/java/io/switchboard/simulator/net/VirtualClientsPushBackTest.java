package io.switchboard.simulator.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.WireCodec;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A WebSocket virtual client whose server stops reading it holds its device's new sends (the workload waits, with the
 * intended times) instead of piling them into its channel, and sends again once the server reads.
 */
class VirtualClientsPushBackTest {
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /**
     * More bytes than a loopback socket's buffers and a channel's high mark (64 KiB) hold together while nothing is
     * read: here at most 4 MiB to send ({@code tcp_wmem}), and the receiver's starting 128 KiB ({@code tcp_rmem}),
     * which grows only as its reader reads.
     */
    private static final long MAX_BYTES = 8 << 20;

    @Test
    @Timeout(60)
    void shouldHoldADevicesSendsWhileTheServerDoesNotReadItsSocketAndFreeThemOnceItReads() throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EventLoop loop = group.next();
            VirtualClients clients = new VirtualClients(
                    1,
                    new DeviceSlots(1),
                    loop,
                    NioSocketChannel.class,
                    server.getLocalSocketAddress(),
                    null,
                    URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws"),
                    (user, device) -> "token",
                    new VirtualClients.Listener() {
                        @Override
                        public void onFrame(int slot, Frame frame) {}

                        @Override
                        public void onClosed(int slot) {}

                        @Override
                        public void onError(int slot, Throwable cause) {}
                    },
                    WireCodec.JSON);
            loop.execute(() -> clients.connect(0));
            try (Socket socket = server.accept()) {
                answerHandshake(socket);
                while (!onLoop(loop, () -> clients.connected(0))) {
                    Thread.sleep(10);
                }

                long written = onLoop(loop, () -> writeUntilPushedBack(clients));
                assertThat(written)
                        .as("bytes written before the device was held: the server reads nothing")
                        .isLessThan(MAX_BYTES);
                assertThat(onLoop(loop, () -> clients.pushedBack(0))).isTrue();

                Thread reader = new Thread(() -> drain(socket));
                reader.setDaemon(true);
                reader.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (onLoop(loop, () -> clients.pushedBack(0)) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertThat(onLoop(loop, () -> clients.pushedBack(0)))
                        .as("free to send once the server reads again")
                        .isFalse();
                loop.submit(clients::closeAll).get();
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static long writeUntilPushedBack(VirtualClients clients) {
        Frame typing = new Frame();
        for (int frames = 1; !clients.pushedBack(0) && clients.bytesWritten() < MAX_BYTES; frames++) {
            clients.write(0, typing.reset(FrameType.TYPING).toUser(2).on(true));
            if (frames % 64 == 0) {
                clients.flushWritten();
            }
        }
        clients.flushWritten();
        return clients.bytesWritten();
    }

    private static <T> T onLoop(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(10, TimeUnit.SECONDS);
    }

    /** The server's half of the WebSocket handshake (RFC 6455), by hand: after it, this server reads nothing. */
    private static void answerHandshake(Socket socket) throws Exception {
        BufferedReader request =
                new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
        String key = null;
        for (String line = request.readLine(); line != null && !line.isEmpty(); line = request.readLine()) {
            if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                key = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        String accept = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.ISO_8859_1)));
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: "
                        + WireCodec.JSON.subprotocol() + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void drain(Socket socket) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = socket.getInputStream()) {
            while (in.read(buffer) >= 0) {
                // what the client sent is not looked at: only that it is read
            }
        } catch (java.io.IOException closed) {
            // the test ended
        }
    }
}
