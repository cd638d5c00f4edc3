package io.switchboard.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.Routing;
import io.switchboard.core.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, item 10: the idle timeout closes connections that are idle, not connections that are old. A keep-alive
 * connection in use and a dashboard stream used to be closed one idle time after they connected, whatever their
 * traffic, because the timer sat behind the handler that consumes HTTP requests. Over raw sockets, so that the
 * test sees the very connection the server keeps or closes.
 */
@Timeout(30)
class IdleConnectionsTest {
    private static final int IDLE_MS = 400;

    @TempDir
    Path data;

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(Routing.SHARDED, data, Map.of("transport.idleTimeoutMs", IDLE_MS));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldKeepAKeepAliveConnectionThatIsInUse() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            long until = System.nanoTime() + 4L * IDLE_MS * 1_000_000;
            int answered = 0;
            while (System.nanoTime() < until) {
                assertThat(exchange(socket, "GET /v1/devices")).startsWith("HTTP/1.1 401");
                answered++;
                Thread.sleep(IDLE_MS / 4);
            }
            assertThat(answered).as("requests answered on one connection").isGreaterThan(8);
        }
    }

    @Test
    void shouldCloseAKeepAliveConnectionThatFallsSilent() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            assertThat(exchange(socket, "GET /v1/devices")).startsWith("HTTP/1.1 401");

            assertThat(socket.getInputStream().read())
                    .as("closed by the server")
                    .isEqualTo(-1);
        }
    }

    @Test
    void shouldKeepADashboardStreamWhoseBrowserNeverSpeaks() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            request(socket, "GET /dashboard/events");
            InputStream in = socket.getInputStream();
            assertThat(headers(in)).startsWith("HTTP/1.1 200");
            long start = System.nanoTime();
            int events = 0;
            // One snapshot a second: three of them span more than five idle times.
            while (events < 3) {
                events += countEvents(in);
            }
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThan(2L * IDLE_MS);
        }
    }

    private static void request(Socket socket, String requestLine) throws IOException {
        socket.getOutputStream()
                .write((requestLine + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends a request and reads its whole answer (headers and a body of Content-Length bytes). */
    private static String exchange(Socket socket, String requestLine) throws IOException {
        request(socket, requestLine);
        InputStream in = socket.getInputStream();
        String head = headers(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        assertThat(in.readNBytes(length)).hasSize(length);
        return head;
    }

    private static String headers(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            assertThat(b).as("the connection closed before the answer").isNotEqualTo(-1);
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Reads what arrives and counts the server-sent events in it ("data:" lines); fails on a close. */
    private static int countEvents(InputStream in) throws IOException {
        byte[] chunk = new byte[8192];
        int read;
        try {
            read = in.read(chunk);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no event within 5 s", e);
        }
        assertThat(read).as("the stream was closed").isNotEqualTo(-1);
        String text = new String(chunk, 0, read, StandardCharsets.US_ASCII);
        return text.split("data: ", -1).length - 1;
    }
}
