package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.testing.TestClient;
import io.switchboard.simulator.fault.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery as an operator meets it: {@code ./switchboard serve} through the real launcher, loaded by real
 * WebSocket clients, killed with {@code kill -9} at random points of live traffic and restarted on the same data
 * directory, several times; then a clean epoch in which the clients reconnect, resend what was never acknowledged and
 * drain. The clients keep the at-least-once contract (a send without an {@code ack} is repeated with the same id and
 * body, before anything new) and de-duplicate deliveries by (sender, id); the test then checks what the journal
 * ({@code journal.durability: all}) promises.
 *
 * <p>The random seed is printed; {@code -Dswitchboard.crash.seed=N} repeats a run's choices (targets, reads, kill
 * delays; the exact kill points still depend on timing).
 */
@Tag("slow")
@Timeout(300)
class CrashRecoveryIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int USERS = 10;
    private static final long FIRST_USER = 101;
    private static final int KILLED_EPOCHS = 4;
    private static final int MAX_IN_FLIGHT = 32;
    private static final double READ_SHARE = 0.3;
    private static final Duration QUIET = Duration.ofSeconds(2);
    /** How long a drain after a restart may take: generous, as only a failing run waits for it. */
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong lastFrameNanos = new AtomicLong(System.nanoTime());
    private final Map<Key, Message> messages = new ConcurrentHashMap<>();
    private final Map<Long, User> users = new LinkedHashMap<>();

    @Test
    void shouldKeepEveryAcknowledgedMessageAcrossRepeatedKillNine() throws Exception {
        long seed = Long.getLong("switchboard.crash.seed", System.currentTimeMillis());
        System.out.println("CrashRecoveryIT seed " + seed + " (repeat with -Dswitchboard.crash.seed=" + seed + ")");
        Random random = new Random(seed);
        int port = ServerProcess.freePort();
        Path data = Files.createDirectories(temp.resolve("data"));
        for (int i = 0; i < USERS; i++) {
            long id = FIRST_USER + i;
            users.put(id, new User(id, new Random(seed * 31 + id)));
        }
        int finalEpoch = KILLED_EPOCHS + 1;
        List<String> epochLines = new ArrayList<>();
        ExecutorService workers = Executors.newFixedThreadPool(USERS);
        try {
            for (int epoch = 1; epoch <= finalEpoch; epoch++) {
                boolean clean = epoch == finalEpoch;
                Map<Long, EpochPlan> plans = plan(random, clean);
                ServerProcess server =
                        ServerProcess.start(temp.resolve("serve-" + epoch + ".log"), port, data, List.of());
                try {
                    assertThat(server.output()).contains("durability=all");
                    if (epoch == 1) {
                        for (User user : users.values()) {
                            user.token = server.register(user.id);
                        }
                    }
                    for (User user : users.values()) {
                        user.beginEpoch();
                        if (plans.get(user.id).joinAfterMillis == 0) {
                            user.connection = connect(server.ws(), user.id, user.token);
                        }
                    }
                    AtomicBoolean stop = new AtomicBoolean();
                    AtomicBoolean killed = new AtomicBoolean();
                    int current = epoch;
                    long startNs = System.nanoTime();
                    List<Future<?>> running = new ArrayList<>();
                    for (User user : users.values()) {
                        EpochPlan plan = plans.get(user.id);
                        running.add(workers.submit(
                                () -> traffic(user, current, plan, startNs, server.ws(), !clean, stop, killed)));
                    }
                    long trafficMillis;
                    if (!clean) {
                        Thread.sleep(500 + random.nextInt(1500));
                        trafficMillis = (System.nanoTime() - startNs) / 1_000_000;
                        killed.set(true);
                        server.kill9();
                        // What the server wrote to a client that stopped reading is dropped unread with its socket.
                        for (User user : users.values()) {
                            Connection connection = user.connection;
                            if (plans.get(user.id).stallAfterMillis >= 0 && connection != null) {
                                connection.abort();
                            }
                        }
                        awaitAllClosed();
                    } else {
                        awaitDrained(Duration.ofSeconds(60));
                        trafficMillis = (System.nanoTime() - startNs) / 1_000_000;
                    }
                    stop.set(true);
                    for (Future<?> worker : running) {
                        worker.get(30, TimeUnit.SECONDS);
                    }
                    if (clean) {
                        server.stop();
                    }
                    epochLines.add(String.format(
                            "  epoch %d: serving %d ms after launch (%s); %s%s after %d ms of traffic; now %d"
                                    + " messages, %d unacknowledged",
                            epoch,
                            server.startMillis(),
                            String.join(", ", server.recoveryLines()),
                            describe(plans, trafficMillis),
                            clean ? "drained and stopped cleanly" : "SIGKILL",
                            trafficMillis,
                            messages.size(),
                            users.values().stream()
                                    .mapToInt(u -> u.unacked.size())
                                    .sum()));
                    server.warnings().forEach(line -> epochLines.add("    server: " + line));
                } finally {
                    for (User user : users.values()) {
                        Connection connection = user.connection;
                        if (connection != null) {
                            connection.abort();
                            user.connection = null;
                        }
                    }
                    server.destroy();
                }
            }
        } finally {
            workers.shutdownNow();
        }
        verify(finalEpoch, epochLines, seed);
    }

    /**
     * What each user does in an epoch besides sending and receiving. Every client connecting at once and reading
     * everything at once would hide a missing journal record: an online reader gets each message within a millisecond
     * of its ack, so a message the server forgot at the kill would already be at its recipient. So in each killed epoch
     * two users join late (possibly only after the kill: their messages wait in the server, and receipts for their
     * earlier messages wait for them) and two stop reading their socket at some point (what the server then writes to
     * them stays unread and is discarded with the connection at the kill, and beyond the delivery window their
     * messages only wait in the server). Everything the server acknowledged for them must come back after a restart.
     */
    private Map<Long, EpochPlan> plan(Random random, boolean clean) {
        List<Long> ids = new ArrayList<>(users.keySet());
        Collections.shuffle(ids, random);
        Map<Long, EpochPlan> plans = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            long join = 0;
            long stall = -1;
            if (!clean && i < 2) {
                join = 1 + random.nextInt(1500);
            } else if (!clean && i < 4) {
                stall = random.nextInt(1000);
            }
            plans.put(ids.get(i), new EpochPlan(join, stall));
        }
        return plans;
    }

    private static String describe(Map<Long, EpochPlan> plans, long trafficMillis) {
        StringBuilder text = new StringBuilder();
        plans.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            EpochPlan plan = entry.getValue();
            if (plan.joinAfterMillis > 0) {
                text.append(entry.getKey())
                        .append(
                                plan.joinAfterMillis < trafficMillis
                                        ? " joined at " + plan.joinAfterMillis + " ms"
                                        : " never joined")
                        .append(", ");
            } else if (plan.stallAfterMillis >= 0) {
                text.append(entry.getKey())
                        .append(" stopped reading at ")
                        .append(plan.stallAfterMillis)
                        .append(" ms, ");
            }
        });
        return text.toString();
    }

    private record EpochPlan(long joinAfterMillis, long stallAfterMillis) {}

    /**
     * One user's client for one epoch: join (late, if so planned), resend what is unacknowledged, then (unless clean)
     * send new messages; receive throughout, or stop reading when planned.
     */
    private void traffic(
            User user,
            int epoch,
            EpochPlan plan,
            long startNs,
            URI ws,
            boolean sendNew,
            AtomicBoolean stop,
            AtomicBoolean killed) {
        if (plan.joinAfterMillis > 0) {
            long joinNs = startNs + TimeUnit.MILLISECONDS.toNanos(plan.joinAfterMillis);
            while (!stop.get() && !killed.get() && System.nanoTime() < joinNs) {
                sleep(1);
            }
            if (stop.get() || killed.get()) {
                return;
            }
            try {
                user.connection = connect(ws, user.id, user.token);
            } catch (Exception | AssertionError e) {
                if (!killed.get()) {
                    user.problems.add("epoch " + epoch + ": late join failed before the kill: " + e);
                }
                return;
            }
        }
        Connection connection = user.connection;
        long stallNs = plan.stallAfterMillis < 0
                ? Long.MAX_VALUE
                : startNs + TimeUnit.MILLISECONDS.toNanos(plan.stallAfterMillis);
        Deque<Message> resend = new ArrayDeque<>(user.unacked.values());
        user.resends += resend.size();
        long nextSendNs = System.nanoTime();
        boolean broken = false;
        while (!stop.get()) {
            if (System.nanoTime() >= stallNs) {
                connection.stopReading();
            }
            String text = connection.poll(1);
            if (text != null) {
                broken |= !handle(user, epoch, text, !broken);
                continue;
            }
            if (broken || connection.closed.isDone() || user.inFlight.size() >= MAX_IN_FLIGHT) {
                continue;
            }
            if (!resend.isEmpty()) {
                broken = !send(user, resend.poll());
            } else if (!user.refused.isEmpty() && System.nanoTime() >= user.retryAtNs) {
                broken = !send(user, user.refused.poll());
            } else if (sendNew && System.nanoTime() >= nextSendNs) {
                User to = randomOther(user);
                long id = ++user.lastId;
                Message message = new Message(
                        user.id, id, to.id, "u" + user.id + "#" + id + " " + Long.toHexString(user.random.nextLong()));
                messages.put(message.key(), message);
                user.unacked.put(id, message);
                broken = !send(user, message);
                nextSendNs = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(1000 + user.random.nextInt(4000));
            }
        }
        // Frames that arrived before the connection died are facts too; nothing can be answered any more.
        String text;
        while ((text = connection.inbox.poll()) != null) {
            handle(user, epoch, text, false);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private User randomOther(User user) {
        List<User> all = new ArrayList<>(users.values());
        User to;
        do {
            to = all.get(user.random.nextInt(all.size()));
        } while (to == user);
        return to;
    }

    private boolean send(User user, Message message) {
        user.inFlight.add(message.id);
        user.sendFrames++;
        String body = Base64.getEncoder().encodeToString(message.body.getBytes(StandardCharsets.UTF_8));
        return user.connection.send("{\"t\":\"send\",\"id\":" + message.id + ",\"to\":{\"user\":" + message.to
                + "},\"env\":[{\"device\":1,\"type\":\"msg\",\"body\":\"" + body + "\"}]}");
    }

    /**
     * Applies one received frame to the user's state; answers (recv, read) only when {@code answer}.
     *
     * @return false when an answer could not be sent (the connection is gone)
     */
    private boolean handle(User user, int epoch, String text, boolean answer) {
        Frame frame = TestClient.decode(text);
        switch (frame.type()) {
            case ACK -> {
                user.inFlight.remove(frame.id());
                Message message = user.unacked.remove(frame.id());
                if (message != null) {
                    message.ackedEpoch = epoch;
                    user.acked++;
                } else if (frame.id() > user.lastId) {
                    user.problems.add("epoch " + epoch + ": ack for id " + frame.id() + " never sent: " + text);
                }
                user.unackedCount = user.unacked.size();
            }
            case MSG -> {
                return delivered(user, epoch, frame, text, answer);
            }
            case RECEIPT -> {
                Key key = new Key(user.id, frame.id());
                Message message = messages.get(key);
                if (message == null || message.to != frame.toUser()) {
                    user.problems.add("epoch " + epoch + ": receipt for a message this user never sent: " + text);
                } else if (frame.kind() == ReceiptKind.DELIVERED) {
                    if (user.deliveredReceipts.putIfAbsent(key, epoch) != null) {
                        user.duplicateReceipts++;
                    }
                } else {
                    user.readReceipts.add(key);
                }
            }
            case ERROR -> {
                // unavailable (the server behind on deliveries) or rate-limited: nothing was stored; a client sends
                // it again once retryAfterMs has passed, as protocol-notes asks.
                Message message = frame.hasId() ? user.unacked.get(frame.id()) : null;
                if (message != null && frame.retryAfterMs() > 0) {
                    user.inFlight.remove(frame.id());
                    user.refused.add(message);
                    user.retryAtNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(frame.retryAfterMs());
                } else {
                    user.problems.add("epoch " + epoch + ": unexpected error " + text);
                }
            }
            default -> user.problems.add("epoch " + epoch + ": unexpected frame " + text);
        }
        return true;
    }

    private boolean delivered(User user, int epoch, Frame frame, String text, boolean answer) {
        Key key = new Key(frame.fromUser(), frame.id());
        Message message = messages.get(key);
        if (message == null || message.to != user.id || frame.fromDevice() != 1) {
            user.problems.add("epoch " + epoch + ": msg that was never sent to this user: " + text);
            return true;
        }
        String body = new String(frame.envelopeBody(0), StandardCharsets.UTF_8);
        if (!body.equals(message.body)) {
            user.problems.add("epoch " + epoch + ": msg " + key + " arrived with body '" + body + "', sent '"
                    + message.body + "'");
        }
        List<Integer> epochs = user.deliveries.computeIfAbsent(key, k -> new ArrayList<>());
        if (epochs.contains(epoch)) {
            user.problems.add("epoch " + epoch + ": msg " + key + " delivered twice in one session");
        }
        epochs.add(epoch);
        boolean first = epochs.size() == 1;
        if (first) {
            user.firstDeliveries
                    .computeIfAbsent(key.sender, s -> new ArrayList<>())
                    .add(key.id);
        }
        if (!answer) {
            return true;
        }
        if (!user.connection.send("{\"t\":\"recv\",\"seq\":" + frame.seq() + "}")) {
            return false;
        }
        user.lastRecvEpoch.put(key, epoch);
        user.recvOrder.computeIfAbsent(epoch, e -> new ArrayList<>()).add(key);
        if (first && user.random.nextDouble() < READ_SHARE) {
            user.readSent.add(key);
            return user.connection.send(
                    "{\"t\":\"read\",\"from\":{\"user\":" + key.sender + ",\"device\":1},\"ids\":[" + key.id + "]}");
        }
        return true;
    }

    /** After a kill: every client has seen its connection end (so what reached it has been queued). */
    private void awaitAllClosed() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (User user : users.values()) {
            Connection connection = user.connection;
            while (connection != null && !connection.closed.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(10);
                connection = user.connection;
            }
        }
    }

    /** The clean epoch: every resend acknowledged and no frame for {@link #QUIET}. */
    private void awaitDrained(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            boolean acked = users.values().stream().allMatch(u -> u.unackedCount == 0);
            if (acked && System.nanoTime() - lastFrameNanos.get() > QUIET.toNanos()) {
                return;
            }
            Thread.sleep(50);
        }
        fail("the clean epoch did not drain within " + limit + "; unacknowledged per user: "
                + users.values().stream().map(u -> u.id + "=" + u.unackedCount).collect(Collectors.joining(", ")));
    }

    private void verify(int finalEpoch, List<String> epochLines, long seed) {
        List<String> violations = new ArrayList<>();
        for (User user : users.values()) {
            violations.addAll(user.problems);
        }
        long acked = 0;
        long lost = 0;
        for (Message message : messages.values()) {
            if (message.ackedEpoch < 0) {
                violations.add("never acknowledged, even in the clean epoch: " + message);
                continue;
            }
            acked++;
            // 1. Acknowledged ⇒ delivered (at least once at the transport; once to the application by (sender, id)).
            if (!users.get(message.to).deliveries.containsKey(message.key())) {
                lost++;
                violations.add("LOST: " + message + " was acknowledged in epoch " + message.ackedEpoch
                        + " and never delivered");
            }
        }
        long transport = 0;
        long duplicates = 0;
        long receiptsLostInKillWindow = 0;
        long readsSent = 0;
        long readReceipts = 0;
        for (User recipient : users.values()) {
            // 2. Per-sender order of first deliveries.
            recipient.firstDeliveries.forEach((sender, ids) -> {
                for (int i = 1; i < ids.size(); i++) {
                    if (ids.get(i) <= ids.get(i - 1)) {
                        violations.add("REORDERED: " + recipient.id + " got " + sender + "#" + ids.get(i)
                                + " first after " + sender + "#" + ids.get(i - 1));
                    }
                }
            });
            readsSent += recipient.readSent.size();
            for (Map.Entry<Key, List<Integer>> entry : recipient.deliveries.entrySet()) {
                Key key = entry.getKey();
                List<Integer> epochs = entry.getValue();
                transport += epochs.size();
                duplicates += epochs.size() - 1;
                User sender = users.get(key.sender);
                Integer receiptEpoch = sender.deliveredReceipts.get(key);
                // The recv is journaled before its receipt is routed: a message whose receipt arrived is never
                // delivered again in a later session.
                if (receiptEpoch != null && epochs.get(epochs.size() - 1) > receiptEpoch) {
                    violations.add("REDELIVERED: " + key + " to " + recipient.id + " in epochs " + epochs
                            + " after its delivered receipt arrived in epoch " + receiptEpoch);
                }
                // 3. Every delivered message ends with a delivered receipt at its sender...
                if (receiptEpoch == null) {
                    Integer recvEpoch = recipient.lastRecvEpoch.get(key);
                    if (recvEpoch == null || recvEpoch == finalEpoch) {
                        violations.add("NO RECEIPT: " + key + " delivered to " + recipient.id + " in epochs " + epochs
                                + (recvEpoch == null ? ", never recv'd" : ", recv'd in the clean epoch")
                                + ", no delivered receipt at the sender");
                    } else if (receiptLostOutOfOrder(recipient, sender, key, recvEpoch)) {
                        violations.add("NO RECEIPT: " + key + " recv'd by " + recipient.id + " in epoch " + recvEpoch
                                + " (killed), no delivered receipt, although receipts for later recvs of that"
                                + " sender's messages in the same epoch arrived");
                    } else {
                        // ...except the documented v1 window (docs/protocol-notes.md): the recv was journaled (the
                        // message was not delivered again), but its receipt was still in the server (peer ring,
                        // outbox, socket) when the kill came; receipts carry no seq and are not resent. That window
                        // is a tail: receipts of one recipient for one sender travel in recv order, so a lost one is
                        // never followed by an arrived one of the same epoch (checked above).
                        receiptsLostInKillWindow++;
                    }
                }
            }
        }
        for (User sender : users.values()) {
            for (Key key : sender.deliveredReceipts.keySet()) {
                Message message = messages.get(key);
                if (!users.get(message.to).deliveries.containsKey(key)) {
                    violations.add("WRONG RECEIPT: delivered receipt for " + message + ", never delivered");
                }
            }
            // Read receipts: only for messages the recipient read. Not every read gets one: `read` has no ack in
            // protocol v1, so a read the server had not yet routed when it was killed is gone (the v1 limit).
            for (Key key : sender.readReceipts) {
                Message message = messages.get(key);
                if (!users.get(message.to).readSent.contains(key)) {
                    violations.add("WRONG RECEIPT: read receipt for " + message + ", which its recipient never read");
                }
            }
            readReceipts += sender.readReceipts.size();
        }
        int sendFrames = users.values().stream().mapToInt(u -> u.sendFrames).sum();
        int resends = users.values().stream().mapToInt(u -> u.resends).sum();
        int deliveredReceipts = users.values().stream()
                .mapToInt(u -> u.deliveredReceipts.size())
                .sum();
        int duplicateReceipts =
                users.values().stream().mapToInt(u -> u.duplicateReceipts).sum();
        System.out.println("CrashRecoveryIT summary:\n" + String.join("\n", epochLines)
                + String.format(
                        "%n  kills %d; messages %d (send frames %d, resends %d); acknowledged %d; delivered to the"
                                + " application %d, transport deliveries %d, transport duplicates %d, lost %d;"
                                + " delivered receipts %d (+%d repeated), lost in the kill window %d; reads %d, read"
                                + " receipts %d (%d lost with the kill: read has no ack); violations %d",
                        KILLED_EPOCHS,
                        messages.size(),
                        sendFrames,
                        resends,
                        acked,
                        users.values().stream()
                                .mapToInt(u -> u.deliveries.size())
                                .sum(),
                        transport,
                        duplicates,
                        lost,
                        deliveredReceipts,
                        duplicateReceipts,
                        receiptsLostInKillWindow,
                        readsSent,
                        readReceipts,
                        readsSent - readReceipts,
                        violations.size()));
        if (!violations.isEmpty()) {
            fail(violations.size() + " crash-recovery violations (seed " + seed + "), the first 40:\n  "
                    + String.join("\n  ", violations.subList(0, Math.min(40, violations.size()))));
        }
        // How much traffic a run makes depends on the machine; that it made some does not.
        assertThat(acked).as("traffic happened").isPositive();
    }

    /** True when a receipt for a later recv (same recipient, same sender, same epoch) arrived in that epoch. */
    private static boolean receiptLostOutOfOrder(User recipient, User sender, Key key, int epoch) {
        List<Key> recvs = recipient.recvOrder.get(epoch);
        boolean after = false;
        for (Key other : recvs) {
            if (other.equals(key)) {
                after = true;
            } else if (after && other.sender == key.sender) {
                Integer arrived = sender.deliveredReceipts.get(other);
                if (arrived != null && arrived == epoch) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void shouldLoseOnlyWithinTheDocumentedWindowWithDurabilityOffline() throws Exception {
        int port = ServerProcess.freePort();
        Path data = Files.createDirectories(temp.resolve("data-offline"));
        List<String> durabilityOffline = List.of("-Dswitchboard.journal.durability=offline");
        long alice = 301;
        long bob = 302;
        long carol = 303;
        int perRecipient = 100;
        Map<Long, String> tokens = new HashMap<>();
        TreeSet<Long> toBob = new TreeSet<>();
        TreeSet<Long> toCarol = new TreeSet<>();

        ServerProcess first = ServerProcess.start(temp.resolve("offline-1.log"), port, data, durabilityOffline);
        try {
            assertThat(first.output()).contains("durability=offline");
            for (long user : List.of(alice, bob, carol)) {
                tokens.put(user, first.register(user));
            }
            // Bob stays offline for the whole epoch; Carol is online and receives, but never sends recv.
            Connection aliceConnection = connect(first.ws(), alice, tokens.get(alice));
            Connection carolConnection = connect(first.ws(), carol, tokens.get(carol));
            int inFlight = 0;
            for (long id = 1; id <= 2L * perRecipient; id++) {
                long to = id % 2 == 1 ? bob : carol;
                (to == bob ? toBob : toCarol).add(id);
                String body = Base64.getEncoder().encodeToString(("a#" + id).getBytes(StandardCharsets.UTF_8));
                assertThat(aliceConnection.send("{\"t\":\"send\",\"id\":" + id + ",\"to\":{\"user\":" + to
                                + "},\"env\":[{\"device\":1,\"type\":\"msg\",\"body\":\"" + body + "\"}]}"))
                        .isTrue();
                if (++inFlight >= MAX_IN_FLIGHT) {
                    expectAck(aliceConnection);
                    inFlight--;
                }
            }
            for (; inFlight > 0; inFlight--) {
                expectAck(aliceConnection);
            }
            Set<Long> carolGot = new HashSet<>();
            while (carolGot.size() < perRecipient) {
                Frame msg = expectFrame(carolConnection, FrameType.MSG);
                carolGot.add(msg.id());
            }
            assertThat(carolGot).isEqualTo(toCarol);
            first.kill9();
            aliceConnection.abort();
            carolConnection.abort();
        } finally {
            first.destroy();
        }

        ServerProcess second = ServerProcess.start(temp.resolve("offline-2.log"), port, data, durabilityOffline);
        try {
            Connection bobConnection = connect(second.ws(), bob, tokens.get(bob));
            List<Long> bobGot = drainAndRecv(bobConnection, bob, toBob);
            assertThat(bobGot)
                    .as("every message acknowledged while its recipient was offline survives kill -9, in order, once")
                    .containsExactlyElementsOf(toBob);
            Connection carolConnection = connect(second.ws(), carol, tokens.get(carol));
            // What Carol gets back is not known in advance (the window): whatever is queued, and nothing else.
            List<Long> carolGot = drainAndRecv(carolConnection, carol, Set.of());
            assertThat(toCarol).as("nothing Alice did not send to Carol").containsAll(carolGot);
            Connection aliceConnection = connect(second.ws(), alice, tokens.get(alice));
            Set<Long> receipts = new HashSet<>();
            long deadlineNs = System.nanoTime() + DRAIN_DEADLINE.toNanos();
            String text;
            while (!receipts.containsAll(toBob)
                    && (text = aliceConnection.inbox.poll(
                                    Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS))
                            != null) {
                Frame frame = TestClient.decode(text);
                assertThat(frame.type()).as(text).isEqualTo(FrameType.RECEIPT);
                assertThat(frame.kind()).as(text).isEqualTo(ReceiptKind.DELIVERED);
                receipts.add(frame.id());
            }
            assertThat(receipts)
                    .as("Bob's recvs after the restart reach Alice as delivered receipts when she returns")
                    .containsAll(toBob);
            long carolLost =
                    toCarol.stream().filter(id -> !carolGot.contains(id)).count();
            System.out.printf(
                    "CrashRecoveryIT durability=offline: %d messages to offline Bob acknowledged, %d delivered after"
                            + " kill -9 (asserted all); %d to online Carol acknowledged and delivered but not recv'd,"
                            + " %d delivered again after kill -9, %d lost (the documented window, reported only)%n",
                    toBob.size(), bobGot.size(), toCarol.size(), carolGot.size(), carolLost);
            bobConnection.abort();
            carolConnection.abort();
            aliceConnection.abort();
            second.stop();
        } finally {
            second.destroy();
        }
    }

    private static void expectAck(Connection connection) throws InterruptedException {
        Frame frame = expectFrame(connection, FrameType.ACK);
        assertThat(frame.id()).isPositive();
    }

    private static Frame expectFrame(Connection connection, FrameType type) throws InterruptedException {
        String text = connection.inbox.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(text)
                .as("a '" + type.wireName() + "' frame within " + TIMEOUT)
                .isNotNull();
        Frame frame = TestClient.decode(text);
        assertThat(frame.type()).as(text).isEqualTo(type);
        return frame;
    }

    /**
     * Takes msg frames, recv'ing each, until every id in {@code expected} is in, or {@link #DRAIN_DEADLINE}; then until
     * the answer to a presence subscription to the user itself. The owner of the user's state sends every message it
     * had queued for the session when it opens (fewer than the delivery window's 256 here) and sends that answer only
     * after them: a message that comes too, a repeat or one never sent to this user, comes before it. The ids in
     * arrival order.
     */
    private static List<Long> drainAndRecv(Connection connection, long user, Set<Long> expected)
            throws InterruptedException {
        List<Long> ids = new ArrayList<>();
        long deadlineNs = System.nanoTime() + DRAIN_DEADLINE.toNanos();
        boolean fenced = false;
        while (true) {
            if (!fenced && ids.containsAll(expected)) {
                assertThat(connection.send("{\"t\":\"sub\",\"user\":" + user + "}"))
                        .isTrue();
                fenced = true;
            }
            String text = connection.inbox.poll(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (text == null) {
                assertThat(fenced)
                        .as("the presence answer within " + DRAIN_DEADLINE)
                        .isFalse();
                return ids;
            }
            Frame frame = TestClient.decode(text);
            if (fenced && frame.type() == FrameType.PRESENCE) {
                return ids;
            }
            assertThat(frame.type()).as(text).isEqualTo(FrameType.MSG);
            ids.add(frame.id());
            assertThat(connection.send("{\"t\":\"recv\",\"seq\":" + frame.seq() + "}"))
                    .isTrue();
        }
    }

    /** Connects, says hello and takes the welcome; later frames stay queued. */
    private Connection connect(URI ws, long user, String token) throws Exception {
        Connection connection = new Connection();
        connection.socket = http.newWebSocketBuilder()
                .subprotocols("sb.json.v1")
                .connectTimeout(TIMEOUT)
                .buildAsync(ws, connection)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(connection.send("{\"t\":\"hello\",\"user\":" + user + ",\"device\":1,\"token\":\"" + token + "\"}"))
                .isTrue();
        Frame welcome = expectFrame(connection, FrameType.WELCOME);
        assertThat(welcome.user()).isEqualTo(user);
        return connection;
    }

    private record Key(long sender, long id) {
        @Override
        public String toString() {
            return sender + "#" + id;
        }
    }

    private static final class Message {
        final long sender;
        final long id;
        final long to;
        final String body;
        /** The epoch whose ack the sender got, or -1. */
        volatile int ackedEpoch = -1;

        Message(long sender, long id, long to, String body) {
            this.sender = sender;
            this.id = id;
            this.to = to;
            this.body = body;
        }

        Key key() {
            return new Key(sender, id);
        }

        @Override
        public String toString() {
            return sender + "#" + id + "→" + to;
        }
    }

    /**
     * One user (device 1) and the client's view of it. During an epoch only that user's worker thread touches it; the
     * test thread reads it after joining the workers.
     */
    private static final class User {
        final long id;
        final Random random;
        String token;
        volatile Connection connection;
        // As a sender.
        long lastId;
        final TreeMap<Long, Message> unacked = new TreeMap<>();
        volatile int unackedCount;
        final Set<Long> inFlight = new HashSet<>();
        /** Sends refused for now (unavailable, rate-limited), sent again from {@link #retryAtNs}. */
        final Deque<Message> refused = new ArrayDeque<>();

        long retryAtNs;
        final Map<Key, Integer> deliveredReceipts = new HashMap<>();
        final Set<Key> readReceipts = new HashSet<>();
        int duplicateReceipts;
        int sendFrames;
        int resends;
        int acked;
        // As a recipient.
        final Map<Key, List<Integer>> deliveries = new HashMap<>();
        final Map<Long, List<Long>> firstDeliveries = new HashMap<>();
        final Map<Key, Integer> lastRecvEpoch = new HashMap<>();
        final Map<Integer, List<Key>> recvOrder = new HashMap<>();
        final Set<Key> readSent = new HashSet<>();
        final List<String> problems = new ArrayList<>();

        User(long id, Random random) {
            this.id = id;
            this.random = random;
        }

        void beginEpoch() {
            inFlight.clear();
            refused.clear(); // still unacknowledged: the epoch sends them again with the rest
            unackedCount = unacked.size();
        }
    }

    /** A WebSocket client that queues received text frames; sends are made one at a time by one thread. */
    private final class Connection implements WebSocket.Listener {
        final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean reading = true;
        WebSocket socket;

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                inbox.add(partial.toString());
                partial.setLength(0);
                lastFrameNanos.set(System.nanoTime());
            }
            if (!last || reading) {
                webSocket.request(1);
            }
            return null;
        }

        /** From now on no frame is taken from the socket: what the server writes stays unread. */
        void stopReading() {
            reading = false;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(null);
        }

        /** False when the frame could not be written (the server is gone). */
        boolean send(String json) {
            try {
                socket.sendText(json, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException | TimeoutException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        String poll(long millis) {
            try {
                return inbox.poll(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        void abort() {
            socket.abort();
            closed.complete(null);
        }
    }
}
