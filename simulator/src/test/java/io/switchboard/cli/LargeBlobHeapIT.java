package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.MediaContext;
import io.switchboard.simulator.fault.ServerProcess;
import io.switchboard.simulator.media.S3ProxyStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob eight times the server's whole heap, uploaded and downloaded through a server process started with {@code
 * -Xmx64m}, with the file store and with S3 (S3Proxy): the closing note's "heap high-water mark during a transfer of a
 * blob larger than the heap would allow". A server that held the body, whole or beyond its pipe's bound, fails here:
 * it runs out of heap (or of direct memory, bounded at 128 MiB) and answers no 201, or dies.
 *
 * <p>The high-water mark comes from the server's own GC log ({@code -Xlog:gc}): the heap in use only grows between
 * collections, so its peaks are exactly the "before" sizes the log records at each pause; a forced collection
 * ({@code jcmd GC.run}) after the download closes the last interval. Scraping {@code /metrics}' memory gauges would
 * sample the heap at moments unrelated to its peaks and read low; the JVM's pool peaks ({@code MemoryPoolMXBean}) are
 * per pool, and their sum is not a peak of the whole. The log rounds down to whole MiB.
 *
 * <p>The test holds the blob no more than the server: it is generated as it is sent and hashed as it comes back. The
 * rates are the client's, end to end, with the generating and hashing on the same two cores; with S3 a download
 * includes the server's copy of the object to its spool file before the first byte goes out.
 */
@Tag("slow")
@Timeout(120)
class LargeBlobHeapIT {
    private static final long BLOB_BYTES = 512L * 1024 * 1024;
    private static final int MAX_HEAP_MIB = 64;
    private static final int MAX_DIRECT_MIB = 128;
    private static final long USER = 301;
    private static final long SEED = 18;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final double MIB = 1024.0 * 1024.0;
    /** A pause in the unified GC log, e.g. {@code GC(3) Pause Young (Normal) (G1 Evacuation Pause) 24M->5M(64M)}. */
    private static final Pattern PAUSE = Pattern.compile("GC\\(\\d+\\) Pause .* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path temp;

    @Test
    void shouldStreamABlobEightTimesTheHeapThroughTheFileStore() throws Exception {
        transfer("fs", Map.of());
    }

    /** S3Proxy runs in this JVM, as the simulator runs it for {@code media.store: s3proxy}; the server is measured. */
    @Test
    void shouldStreamABlobEightTimesTheHeapThroughS3() throws Exception {
        Map<String, String> asked = Map.of(MediaContext.STORE_PROP, S3ProxyStore.STORE);
        try (S3ProxyStore s3 = S3ProxyStore.startIfAsked(asked, temp.resolve("s3proxy"))) {
            transfer("S3Proxy", s3.settings(Map.of()));
        }
    }

    /**
     * Starts a server with {@code store}'s settings, sends it the blob, takes it back, checks it and the server's
     * heap, and prints the figure.
     */
    private void transfer(String store, Map<String, String> storeSettings) throws Exception {
        Path gcLog = temp.resolve("gc.log");
        Path data = Files.createDirectories(temp.resolve("data"));
        List<String> settings = new ArrayList<>(List.of("-Dswitchboard.media.maxBytes=" + BLOB_BYTES));
        storeSettings.forEach((key, value) -> settings.add("-Dswitchboard." + key + "=" + value));
        // JAVA_OPTS goes to the server's JVM only (the launcher passes just -D options from its arguments). Direct
        // memory gets its own bound: by default it is -Xmx, less than the shards' rings alone (two of 16 MiB each per
        // shard), and the server would not start. 128 MiB is still a quarter of the blob.
        List<String> jvm = List.of(
                "env",
                "JAVA_HOME=" + System.getProperty("java.home"),
                "JAVA_OPTS=-Xmx" + MAX_HEAP_MIB + "m -XX:MaxDirectMemorySize=" + MAX_DIRECT_MIB + "m -Xlog:gc:file="
                        + gcLog);
        ServerProcess server = ServerProcess.start(jvm, temp.resolve("serve.log"), 0, data, settings);
        try {
            String token = server.register(USER);
            int pausesBefore = pauses(gcLog).size();

            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            long uploadStart = System.nanoTime();
            HttpResponse<String> uploaded = http.send(
                    HttpRequest.newBuilder(server.http().resolve("/v1/media"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/octet-stream")
                            .POST(HttpRequest.BodyPublishers.fromPublisher(
                                    HttpRequest.BodyPublishers.ofInputStream(
                                            () -> new DigestInputStream(new GeneratedBlob(BLOB_BYTES, SEED), sent)),
                                    BLOB_BYTES))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            double uploadSeconds = (System.nanoTime() - uploadStart) / 1e9;
            assertThat(uploaded.statusCode())
                    .as("the upload; server output:\n" + tail(server))
                    .isEqualTo(201);
            String id = uploaded.body().replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");

            MessageDigest received = MessageDigest.getInstance("SHA-256");
            long downloadStart = System.nanoTime();
            HttpResponse<InputStream> download = http.send(
                    HttpRequest.newBuilder(server.http().resolve("/v1/media/" + id))
                            .header("Authorization", "Bearer " + token)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(download.statusCode()).as("the download").isEqualTo(200);
            long receivedBytes = drain(new DigestInputStream(download.body(), received));
            double downloadSeconds = (System.nanoTime() - downloadStart) / 1e9;

            assertThat(receivedBytes).as("bytes downloaded").isEqualTo(BLOB_BYTES);
            assertThat(HexFormat.of().formatHex(received.digest()))
                    .as("the blob comes back byte-equal")
                    .isEqualTo(HexFormat.of().formatHex(sent.digest()));
            assertThat(server.process().isAlive()).as("the server is up").isTrue();

            ServerProcess.run(server.jcmd(), Long.toString(server.pid()), "GC.run");
            List<Pause> all = pauses(gcLog);
            List<Pause> transfer = all.subList(pausesBefore, all.size());
            assertThat(transfer)
                    .as("the forced collection after the download is logged")
                    .isNotEmpty();
            int capacityMib =
                    transfer.stream().mapToInt(Pause::capacityMib).max().orElseThrow();
            int highWaterMib =
                    transfer.stream().mapToInt(Pause::beforeMib).max().orElseThrow();
            assertThat(capacityMib).as("the heap the server ran with").isLessThanOrEqualTo(MAX_HEAP_MIB);
            assertThat(highWaterMib).as("the heap's high-water mark").isLessThan(MAX_HEAP_MIB);
            assertThat(server.output()).doesNotContain("OutOfMemoryError");

            System.out.printf(
                    "LargeBlobHeapIT: %s store, blob %d MiB, -Xmx%dm: heap high-water mark %d MiB over the transfer"
                            + " (%d collections), upload %.0f MiB/s, download %.0f MiB/s%n",
                    store,
                    BLOB_BYTES >> 20,
                    MAX_HEAP_MIB,
                    highWaterMib,
                    transfer.size() - 1,
                    BLOB_BYTES / MIB / uploadSeconds,
                    BLOB_BYTES / MIB / downloadSeconds);
            server.stop();
        } finally {
            server.destroy();
        }
    }

    /** One pause of the server's GC log: the heap in use before and after it, and the heap's size, in MiB. */
    private record Pause(int beforeMib, int afterMib, int capacityMib) {}

    private static List<Pause> pauses(Path gcLog) throws IOException {
        return Files.readAllLines(gcLog).stream()
                .map(PAUSE::matcher)
                .filter(Matcher::find)
                .map(pause -> new Pause(
                        Integer.parseInt(pause.group(1)),
                        Integer.parseInt(pause.group(2)),
                        Integer.parseInt(pause.group(3))))
                .toList();
    }

    private static long drain(InputStream in) throws IOException {
        try (in) {
            byte[] chunk = new byte[CHUNK_BYTES];
            long total = 0;
            for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                total += n;
            }
            return total;
        }
    }

    private static String tail(ServerProcess server) throws IOException {
        List<String> lines = server.output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    /** {@code length} pseudo-random bytes made as they are read, never held whole. */
    private static final class GeneratedBlob extends InputStream {
        private final SplittableRandom random;
        private final byte[] chunk = new byte[CHUNK_BYTES];
        private long left;
        private int position = CHUNK_BYTES;

        GeneratedBlob(long length, long seed) {
            this.left = length;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (left == 0) {
                return -1;
            }
            if (position == CHUNK_BYTES) {
                random.nextBytes(chunk);
                position = 0;
            }
            int n = (int) Math.min(Math.min(length, CHUNK_BYTES - position), left);
            System.arraycopy(chunk, position, into, offset, n);
            position += n;
            left -= n;
            return n;
        }
    }
}
