package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestClient;
import io.switchboard.simulator.fault.DataDisk;
import io.switchboard.simulator.fault.ServerProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that refuses the journal's writes, as an operator meets it: {@code ./switchboard serve} through the launcher,
 * started under a file-size limit ({@code prlimit --fsize}), so that once Chronicle needs to extend the journal file
 * past the limit the extension fails with EFBIG ("File too large"; HotSpot ignores SIGXFSZ, so the JVM lives on). The
 * sends from then on are refused with {@code unavailable} and never acknowledged; the server keeps serving everything
 * else; the limit is lifted on the live JVM and the client's retries of the refused ids are acknowledged; the offline
 * recipient then gets every acknowledged message once, in order, and nothing else, before and after a {@code kill -9}
 * and restart.
 *
 * <p>A file-size limit and a full disk are not the same failure. Chronicle's files are sparse and written through
 * memory maps: on a filesystem that is really full the file is extended without error and a write into a mapped page
 * that no block backs faults (SIGBUS), which HotSpot turns into an asynchronous {@link InternalError} at some later
 * point of the writing thread. The journal therefore allocates the blocks ahead of its writer with ordinary writes,
 * which fail at the call (EFBIG here, ENOSPC on a full disk: the second test). A read-only data directory cannot be
 * tested here: the build runs as root, which ignores file permissions.
 *
 * <p>The limit is a soft one with an unlimited hard limit: raising a hard limit needs CAP_SYS_RESOURCE, which this
 * container's root lacks, while any process may raise its soft limit up to the hard one.
 */
@Tag("slow")
@Timeout(180)
class DiskFailureIT {
    private static final Pattern BODY = Pattern.compile("\"body\":\"([^\"]*)\"");
    /** How long Bob's drain may take: generous, as only a failing run waits for it. */
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** One shard: one journal file, whose limit every send meets. */
    private static final int SHARDS = 1;

    private static final long ALICE = 201;
    private static final long BOB = 202;
    private static final long CAROL = 203;
    private static final long DAVE = 204;
    /** The full-disk test's data directory: room for the accounts, the journal's first file and its metadata. */
    private static final long TMPFS_BYTES = 8L * 1024 * 1024;
    /** Messages queued for Bob before the disk fills. */
    private static final int QUEUED_BEFORE = 20;

    private static final int PRESENCE_CHANGES = 3;
    /**
     * Chronicle's smallest block, 128k: the journal file starts at 192k (a block and its overlap) and grows 128k at a
     * time, so under a 512k limit about 250k of records fit before an extension fails.
     */
    private static final String BLOCK_BYTES = "128k";
    /** The largest frame a 128k block allows: 4 x (28k + 4k) = 128k. */
    private static final String MAX_FRAME_BYTES = "28k";

    private static final long FILE_SIZE_LIMIT = 512 * 1024;
    private static final int BODY_BYTES = 1000;
    private static final int MAX_SENDS = 5000;
    private static final int EXTRA_REFUSED = 4;
    private static final int SENT_AFTER_RECOVERY = 3;

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random = new Random();
    /** Every id Alice sent and its body, in id order. */
    private final Map<Long, String> bodies = new LinkedHashMap<>();
    /** The receipts Alice was sent, as "kind id". */
    private final Set<String> receipts = new HashSet<>();

    @Test
    void shouldRefuseSendsWhileTheDiskRefusesWritesAndRecoverWhenItTakesThemAgain() throws Exception {
        int port = ServerProcess.freePort();
        Path data = Files.createDirectories(temp.resolve("data"));
        List<String> options = List.of(
                "-Dswitchboard.journal.blockBytes=" + BLOCK_BYTES,
                "-Dswitchboard.transport.maxFrameBytes=" + MAX_FRAME_BYTES,
                "-Dswitchboard.router.shards=" + SHARDS,
                // Daily files: a new cycle file (with room under the limit again) would be opened only at midnight.
                "-Dswitchboard.journal.rollCycle=daily",
                // Bob reads everything queued for him twice without recv: no window may hold messages back.
                "-Dswitchboard.router.deliveryWindow=100000");
        Map<Long, String> tokens = new LinkedHashMap<>();

        // Accounts are written before the limit (the account log is a file too), and this first run through the
        // launcher builds the jar if the sources are newer: no build runs under the limit.
        ServerProcess setup = ServerProcess.start(List.of(), temp.resolve("setup.log"), port, data, options);
        try {
            for (long user : List.of(ALICE, BOB, CAROL)) {
                tokens.put(user, setup.register(user));
            }
            setup.stop();
        } finally {
            setup.destroy();
        }

        List<Long> acked = new ArrayList<>();
        Set<Long> refused = new TreeSet<>();
        List<String> refusedAttempts = new ArrayList<>();
        ServerProcess limited =
                ServerProcess.startLimited(FILE_SIZE_LIMIT, temp.resolve("limited.log"), port, data, options);
        try {
            TestClient alice = TestClient.connect(limited.ws()).hello(ALICE, 1, tokens.get(ALICE));

            // Bob is offline: every message is journaled and waits for him, until the journal file cannot grow.
            long id = 0;
            while (refused.isEmpty()) {
                assertThat(id)
                        .as("a send refused within " + MAX_SENDS + " sends")
                        .isLessThan(MAX_SENDS);
                id++;
                if (send(alice, id)) {
                    acked.add(id);
                } else {
                    refused.add(id);
                    refusedAttempts.add(Long.toString(id));
                }
            }
            long firstRefused = id;
            // A client that keeps sending new messages, and retries, while the disk is still refusing.
            for (int i = 0; i < EXTRA_REFUSED; i++) {
                id++;
                assertThat(send(alice, id))
                        .as("new send " + id + " while the disk refuses")
                        .isFalse();
                refused.add(id);
                refusedAttempts.add(Long.toString(id));
            }
            for (long retry : refused) {
                assertThat(send(alice, retry))
                        .as("retry of " + retry + " while the disk refuses")
                        .isFalse();
                refusedAttempts.add(retry + " (retry)");
            }
            alice.expectNothingFromAnyShard(SHARDS);
            assertThat(limited.output())
                    .as("the journal reports the failed write, and why")
                    .contains("cannot write; sends are refused with 'unavailable'")
                    .contains("File too large");
            assertThat(limited.process().isAlive()).as("the server is up").isTrue();

            // Everything else still works: the refused client's session, a new session, HTTP. (With one shard every
            // send meets the full journal file; presence and groups are not served yet.)
            alice.send(new Frame().reset(FrameType.PING));
            alice.expect(FrameType.PONG);
            try (TestClient carol = TestClient.connect(limited.ws()).hello(CAROL, 1, tokens.get(CAROL))) {
                carol.send(new Frame().reset(FrameType.PING));
                carol.expect(FrameType.PONG);
            }
            HttpResponse<String> metrics = http.send(
                    HttpRequest.newBuilder(limited.http().resolve("/metrics"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);

            // The disk takes writes again: the soft limit is raised on the live JVM.
            limited.liftFileSizeLimit();

            // The client retries what was refused, oldest first, and only then sends new messages.
            retryUntilAcknowledged(alice, refused, acked);
            for (int i = 0; i < SENT_AFTER_RECOVERY; i++) {
                id++;
                assertThat(send(alice, id))
                        .as("new send " + id + " after recovery")
                        .isTrue();
                acked.add(id);
            }
            alice.expectNothingFromAnyShard(SHARDS);
            assertThat(limited.output()).contains("writing again");
            alice.close();

            // Bob comes online: every acknowledged message once, in order, and nothing else. No recv: all of it
            // must still be there after the restart.
            try (TestClient bob = TestClient.connect(limited.ws()).hello(BOB, 1, tokens.get(BOB))) {
                assertReceivedExactly(drain(bob, false, acked), acked, "before the restart");
            }
            System.out.printf(
                    "DiskFailureIT: %d sends acknowledged before the limit (%d bytes, journal blocks of %s) was met;"
                            + " refused: %s; acknowledged after lifting it: %d retries and %d new%n",
                    firstRefused - 1,
                    FILE_SIZE_LIMIT,
                    BLOCK_BYTES,
                    String.join(", ", refusedAttempts),
                    refused.size(),
                    SENT_AFTER_RECOVERY);
            journalFiles(data).forEach(file -> System.out.println("DiskFailureIT: " + file));
            limited.output()
                    .lines()
                    .filter(line -> line.contains("ChronicleJournal") || line.contains("Exception:"))
                    .limit(8)
                    .forEach(line -> System.out.println("DiskFailureIT: server: " + line));
            limited.kill9();
        } finally {
            limited.destroy();
        }

        // Nothing half-stored: the journal written up to the refused extension replays cleanly.
        ServerProcess restarted = ServerProcess.start(List.of(), temp.resolve("restarted.log"), port, data, options);
        try {
            assertThat(restarted.output())
                    .as("a clean replay")
                    .contains("recovered 1 shard: " + acked.size() + " queued messages")
                    .doesNotContain("unreadable", "skipped");
            try (TestClient bob = TestClient.connect(restarted.ws()).hello(BOB, 1, tokens.get(BOB))) {
                assertReceivedExactly(drain(bob, true, acked), acked, "after kill -9 and restart");
            }
            restarted.stop();
        } finally {
            restarted.destroy();
        }
    }

    /**
     * A filesystem that is really full, under traffic of every kind: a tmpfs of {@link #TMPFS_BYTES} mounted as the
     * data directory (this needs root with CAP_SYS_ADMIN, which the build has here; elsewhere the test is skipped),
     * filled by another writer while Bob acknowledges and reads what he was sent and Dave's presence changes. With
     * {@code journal.reserveBytes=0} nothing refuses early: each record meets the full disk itself, and a write into a
     * page of the journal's mapped file that the filesystem cannot back faults (SIGBUS, an {@link InternalError}).
     * The process must not exit; new sends are refused with {@code unavailable}; acks, reads and presence are served;
     * once the filler is deleted the retried sends are acknowledged and delivered; and after a {@code kill -9} the
     * journal replays cleanly and brings back nothing Bob acknowledged (his acknowledgements, refused by the full disk,
     * were written once it had room) and loses nothing acknowledged to Alice.
     *
     * <p>The server runs on the JDK that runs the test (17 in the build), where HotSpot raised a fault's error at a
     * safepoint that no handler of the journal covered and the shard stopped the server (exit 70) until the journal
     * reserved its blocks ahead of the writer ({@code BlockReservation}): now the full disk meets a positional write,
     * never a mapped page.
     */
    @Test
    void shouldServeAcksReadsAndPresenceOnAFullDiskAndLoseNothingAcknowledged() throws Exception {
        int port = ServerProcess.freePort();
        Path data = Files.createDirectories(temp.resolve("full"));
        DataDisk disk = mounted(data);
        try (disk) {
            List<String> options = List.of(
                    "-Dswitchboard.journal.blockBytes=" + BLOCK_BYTES,
                    "-Dswitchboard.transport.maxFrameBytes=" + MAX_FRAME_BYTES,
                    "-Dswitchboard.router.shards=" + SHARDS,
                    "-Dswitchboard.journal.rollCycle=daily",
                    // Bob acknowledges as he reads: the default window, under which the megabytes of messages that fit
                    // in
                    // the blocks reserved before the disk filled reach him without passing the slow-consumer bound.
                    "-Dswitchboard.journal.reserveBytes=0");
            serveOnAFullDisk(List.of("env", "JAVA_HOME=" + System.getProperty("java.home")), port, disk, options);
        }
    }

    private void serveOnAFullDisk(List<String> jdk, int port, DataDisk disk, List<String> options) throws Exception {
        Path data = disk.directory();
        Map<Long, String> tokens = new LinkedHashMap<>();
        List<Long> acked = new ArrayList<>();
        List<Long> deliveredToBob = new ArrayList<>();
        ServerProcess server = ServerProcess.start(jdk, temp.resolve("full.log"), port, data, options);
        try {
            for (long user : List.of(ALICE, BOB, CAROL, DAVE)) {
                tokens.put(user, server.register(user));
            }
            TestClient alice = TestClient.connect(server.ws()).hello(ALICE, 1, tokens.get(ALICE));
            long id = 0;
            while (id < QUEUED_BEFORE) {
                id++;
                assertThat(send(alice, id))
                        .as("send " + id + " with room on the disk")
                        .isTrue();
                acked.add(id);
            }
            TestClient carol = TestClient.connect(server.ws()).hello(CAROL, 1, tokens.get(CAROL));
            carol.sendText("{\"t\":\"sub\",\"user\":" + DAVE + "}");
            assertThat(carol.expect(FrameType.PRESENCE).online()).isFalse();

            long filled = disk.fill();
            // New sends meet the full disk once the blocks the journal reserved ahead of its writer are used.
            while (send(alice, ++id)) {
                acked.add(id);
                assertThat(id).as("a send refused on the full disk").isLessThan(QUEUED_BEFORE + MAX_SENDS);
            }
            Set<Long> refused = new TreeSet<>(List.of(id));

            // Bob acknowledges and reads everything, and Dave comes and goes, while nothing can be journaled.
            try (TestClient bob = TestClient.connect(server.ws()).hello(BOB, 1, tokens.get(BOB))) {
                drain(bob, true, acked).forEach(delivery -> deliveredToBob.add(delivery.id()));
                bob.sendText("{\"t\":\"read\",\"from\":{\"user\":" + ALICE + ",\"device\":1},\"ids\":" + acked + "}");
                bob.send(new Frame().reset(FrameType.PING));
                bob.expect(FrameType.PONG);
            }
            for (int i = 0; i < PRESENCE_CHANGES; i++) {
                TestClient dave = TestClient.connect(server.ws()).hello(DAVE, 1, tokens.get(DAVE));
                assertThat(carol.expect(FrameType.PRESENCE).online()).isTrue();
                dave.close();
                Frame offline = carol.expect(FrameType.PRESENCE);
                assertThat(offline.online()).isFalse();
                assertThat(offline.hasLastSeen()).isTrue();
            }
            for (int i = 0; i < EXTRA_REFUSED; i++) {
                assertThat(send(alice, ++id))
                        .as("new send " + id + " on the full disk")
                        .isFalse();
                refused.add(id);
            }
            assertThat(server.process().isAlive()).as("the server is up").isTrue();
            assertThat(server.output())
                    .as("the journal reports the full disk, met by a write and not by a fault of a mapped page")
                    .contains("cannot write; sends are refused with 'unavailable'")
                    .contains("No space left on device");
            String metrics = scrape(server);
            assertThat(metrics)
                    .as("refused journal records counted by kind")
                    .containsPattern("switchboard_journal_writes_refused_total\\{kind=\"message\"[^}]*} [1-9]")
                    .containsPattern("switchboard_journal_writes_refused_total\\{kind=\"ack\"[^}]*} [1-9]")
                    .containsPattern("switchboard_journal_writes_refused_total\\{kind=\"read\"[^}]*} [1-9]")
                    .containsPattern("switchboard_journal_unwritten\\{[^}]*} [1-9]");

            // Space comes back: the client retries what was refused, and Bob gets it.
            disk.empty();
            retryUntilAcknowledged(alice, refused, acked);
            try (TestClient bob = TestClient.connect(server.ws()).hello(BOB, 1, tokens.get(BOB))) {
                drain(bob, true, new ArrayList<>(refused)).forEach(delivery -> deliveredToBob.add(delivery.id()));
            }
            // Every id Alice was answered for before Bob read it has its two receipts, wherever they were held.
            for (long queued = 1; queued <= QUEUED_BEFORE; queued++) {
                assertThat(receipts).contains("delivered " + queued, "read " + queued);
            }
            assertThat(scrape(server)).containsPattern("switchboard_journal_unwritten\\{[^}]*} 0");
            assertThat(server.process().isAlive()).as("the server is up").isTrue();
            System.out.printf(
                    "DiskFailureIT: full tmpfs (%d bytes of filler): %d sends acknowledged, %d refused then"
                            + " acknowledged after the filler went%n",
                    filled, acked.size() - refused.size(), refused.size());
            server.output()
                    .lines()
                    .filter(line -> line.contains("RecordAppender") || line.contains("InternalError"))
                    .limit(6)
                    .forEach(line -> System.out.println("DiskFailureIT: server: " + line));
            alice.close();
            carol.close();
            assertThat(server.output()).doesNotContain("the server stops now");
            server.kill9();
        } finally {
            server.destroy();
        }
        assertThat(deliveredToBob).as("every acknowledged message delivered").containsAll(acked);

        ServerProcess restarted = ServerProcess.start(jdk, temp.resolve("full-restarted.log"), port, data, options);
        try {
            assertThat(restarted.output())
                    .as("a clean replay, with Bob's acknowledgements")
                    .contains("recovered 1 shard: 0 queued messages")
                    .doesNotContain("unreadable", "skipped");
            try (TestClient bob = TestClient.connect(restarted.ws()).hello(BOB, 1, tokens.get(BOB))) {
                bob.expectNothingFromAnyShard(SHARDS);
            }
            restarted.stop();
        } finally {
            restarted.destroy();
        }
    }

    /** The client retries each refused id, oldest first, until it is acknowledged, as the disk has room again. */
    private void retryUntilAcknowledged(TestClient client, Set<Long> refused, List<Long> acked)
            throws InterruptedException {
        for (long retry : refused) {
            int attempts = 0;
            while (!send(client, retry)) {
                assertThat(++attempts)
                        .as("retries of " + retry + " with room again")
                        .isLessThan(50);
                Thread.sleep(100);
            }
            acked.add(retry);
        }
    }

    private String scrape(ServerProcess server) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(server.http().resolve("/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** A tmpfs over {@code data}; the test is skipped where it cannot be mounted (not root). */
    private static DataDisk mounted(Path data) throws Exception {
        try {
            return DataDisk.mount(data, TMPFS_BYTES);
        } catch (IllegalStateException notRoot) {
            assumeTrue(false, notRoot.getMessage());
            throw notRoot;
        }
    }

    /**
     * Sends message {@code id} (the same body on every retry); true on its ack, false on its refusal. Receipts that
     * come before the answer go to {@link #receipts}.
     */
    private boolean send(TestClient client, long id) {
        String body = bodies.computeIfAbsent(id, key -> {
            byte[] bytes = new byte[BODY_BYTES];
            random.nextBytes(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        });
        client.sendText("{\"t\":\"send\",\"id\":" + id + ",\"to\":{\"user\":" + BOB
                + "},\"env\":[{\"device\":1,\"type\":\"msg\",\"body\":\"" + body + "\"}]}");
        Frame frame = client.next();
        while (frame.type() == FrameType.RECEIPT) {
            receipts.add(frame.kind().wireName() + " " + frame.id());
            frame = client.next();
        }
        assertThat(frame.id()).as("the answer to send " + id + ": " + frame).isEqualTo(id);
        if (frame.type() == FrameType.ACK) {
            return true;
        }
        assertThat(frame.type()).as(frame.toString()).isEqualTo(FrameType.ERROR);
        assertThat(frame.code()).as(frame.toString()).isEqualTo(ErrorCode.UNAVAILABLE);
        return false;
    }

    private record Delivery(long id, String body) {}

    /**
     * Takes msg frames, recv'ing each if asked, until every id in {@code expected} is in, or {@link #DEADLINE}; then
     * makes sure nothing more is on its way (a repeat, or a message never acknowledged).
     */
    private static List<Delivery> drain(TestClient client, boolean recv, List<Long> expected) {
        List<Delivery> deliveries = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        long deadlineNs = System.nanoTime() + DEADLINE.toNanos();
        while (!ids.containsAll(expected)) {
            long leftNs = deadlineNs - System.nanoTime();
            String text = leftNs > 0 ? client.nextText(Duration.ofNanos(leftNs)) : null;
            if (text == null) {
                return deliveries;
            }
            Frame frame = TestClient.decode(text);
            assertThat(frame.type()).as(text).isEqualTo(FrameType.MSG);
            assertThat(frame.fromUser()).isEqualTo(ALICE);
            Matcher body = BODY.matcher(text);
            assertThat(body.find()).as(text).isTrue();
            deliveries.add(new Delivery(frame.id(), body.group(1)));
            ids.add(frame.id());
            if (recv) {
                client.sendText("{\"t\":\"recv\",\"seq\":" + frame.seq() + "}");
            }
        }
        client.expectNothingFromAnyShard(SHARDS);
        return deliveries;
    }

    private void assertReceivedExactly(List<Delivery> deliveries, List<Long> acked, String when) {
        Set<Long> ids = new LinkedHashSet<>();
        for (Delivery delivery : deliveries) {
            assertThat(delivery.body())
                    .as("the body of " + delivery.id() + " " + when)
                    .isEqualTo(bodies.get(delivery.id()));
            ids.add(delivery.id());
        }
        assertThat(ids)
                .as("every acknowledged id once, in order, and nothing never acknowledged, " + when)
                .containsExactlyElementsOf(acked);
        assertThat(deliveries).as("no duplicates " + when).hasSameSizeAs(ids);
    }

    /** The soft file-size limit of a process, from /proc ({@link Long#MAX_VALUE} when unlimited). */
    private static List<String> journalFiles(Path data) throws IOException {
        try (Stream<Path> files = Files.walk(data.resolve("journal"))) {
            return files.filter(Files::isRegularFile)
                    .map(file -> {
                        try {
                            return data.relativize(file) + " " + Files.size(file) + " bytes";
                        } catch (IOException e) {
                            return data.relativize(file) + " " + e;
                        }
                    })
                    .sorted()
                    .toList();
        }
    }
}
