package io.switchboard.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Chromium as a child process with DevTools on a free port, stopped with everything it started: what the browser
 * tests (the live dashboard, the report) drive pages with.
 *
 * <p>Needs the Debian package {@code chromium} ({@code /usr/bin/chromium}); without it {@link #launch} fails rather
 * than skips, so CI cannot pass by silently not running a browser test.
 */
public final class HeadlessChromium implements AutoCloseable {
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path log;
    private final int port;

    private HeadlessChromium(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Chromium on {@code url}, its profile in {@code profile} (a fresh directory) and its output in {@code log}. */
    public static HeadlessChromium launch(Path profile, Path log, String url) throws IOException, InterruptedException {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("%s is missing: install the Debian package with 'apt-get install -y chromium'", CHROMIUM)
                .isTrue();
        List<String> command = List.of(
                CHROMIUM.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--window-size=1280,900",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                url);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        // With port 0 Chromium picks one and writes it as the first line of <profile>/DevToolsActivePort.
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("chromium exited with " + process.exitValue() + ":\n" + tail(log));
            }
            List<String> lines = Files.exists(portFile) ? Files.readAllLines(portFile) : List.of();
            if (lines.size() >= 2) {
                return new HeadlessChromium(
                        process, log, Integer.parseInt(lines.get(0).trim()));
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("chromium opened no DevTools port within 30 s:\n" + tail(log));
    }

    /** A DevTools connection to the page Chromium opened. */
    public DevTools page() throws IOException, InterruptedException {
        HttpResponse<String> targets = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                .timeout(TestClient.TIMEOUT)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        for (JsonNode target : JSON.readTree(targets.body())) {
            if (target.path("type").asText().equals("page")) {
                return DevTools.connect(
                        URI.create(target.path("webSocketDebuggerUrl").asText()), log);
            }
        }
        throw new AssertionError("no page among Chromium's targets: " + targets.body());
    }

    @Override
    public void close() throws InterruptedException {
        // Chromium forks zygote, renderer and GPU processes; SIGTERM to the browser stops them, and any that
        // outlive it are killed so that no browser is left behind a test run.
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** The last lines of Chromium's output, for a failure message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
