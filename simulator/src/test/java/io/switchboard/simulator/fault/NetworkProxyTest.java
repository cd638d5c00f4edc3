package io.switchboard.simulator.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The simulator's network over real loopback sockets, between a client socket and an echo server: a profile's latency
 * each way and its bandwidth, bytes in order, and a partition that drops connections and refuses new ones. Timings
 * are asserted as lower bounds only (what the profile must at least cost), never as figures.
 */
@Timeout(60)
class NetworkProxyTest {
    private ServerSocket echo;
    private Thread echoing;
    private NetworkProxy proxy;
    private InetSocketAddress through;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoing = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    new Thread(() -> {
                                try (socket) {
                                    socket.getInputStream().transferTo(socket.getOutputStream());
                                } catch (IOException closed) {
                                    // the other side went
                                }
                            })
                            .start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        echoing.start();
        proxy = new NetworkProxy(1);
        through = proxy.connectTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        echo.close();
        echoing.join();
    }

    private static byte[] numbered(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    /** Writes {@code bytes}, reads their echo back and returns the milliseconds it took. */
    private static long roundTripMs(Socket socket, byte[] bytes) throws IOException {
        long start = System.nanoTime();
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
        byte[] back = socket.getInputStream().readNBytes(bytes.length);
        assertThat(back).as("every byte back, in order").isEqualTo(bytes);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Test
    void shouldDelayEachWayByTheLatencyAndKeepTheBytesInOrderWhateverTheJitter() throws IOException {
        proxy.profile(new NetworkProfile("test", 150, 100, 0, 0, 0));
        try (Socket socket = connect()) {
            for (int i = 0; i < 3; i++) {
                // 150 ms each way, less at most 100 ms of jitter each way.
                assertThat(roundTripMs(socket, numbered(10_000))).isGreaterThanOrEqualTo(100);
            }
        }
    }

    @Test
    void shouldPaceADirectionToItsBandwidth() throws IOException {
        proxy.profile(new NetworkProfile("test", 0, 0, 20_000, 0, 0));
        try (Socket socket = connect()) {
            // 40 KB down at 20 KB/s: at least about two seconds, whatever the reads' sizes.
            assertThat(roundTripMs(socket, numbered(40_000))).isGreaterThanOrEqualTo(1_800);
        }
    }

    @Test
    void shouldDropEveryConnectionAndRefuseNewOnesUntilThePartitionEnds() throws IOException {
        try (Socket before = connect()) {
            roundTripMs(before, numbered(100));
            proxy.partition(true);
            assertThat(before.getInputStream().read()).as("dropped").isEqualTo(-1);
        }
        try (Socket during = connect()) {
            assertThat(during.getInputStream().read()).as("refused").isEqualTo(-1);
        }
        assertThat(proxy.dropped()).isEqualTo(2);
        proxy.partition(false);
        try (Socket after = connect()) {
            assertThat(roundTripMs(after, numbered(100))).isNotNegative();
        }
    }

    @Test
    void shouldDropConnectionsAtTheProfileRate() throws IOException {
        proxy.profile(new NetworkProfile("test", 0, 0, 0, 0, 0.05));
        try (Socket socket = connect()) {
            InputStream in = socket.getInputStream();
            assertThat(in.read()).as("dropped after about 50 ms").isEqualTo(-1);
        }
        assertThat(proxy.dropped()).isEqualTo(1);
    }

    /**
     * A client socket through the proxy whose reads give up after 10 s: a blocking read ignores {@code @Timeout}, so a
     * proxy that never answers would otherwise hang the build.
     */
    private Socket connect() throws IOException {
        Socket socket = new Socket(through.getAddress(), through.getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }
}
