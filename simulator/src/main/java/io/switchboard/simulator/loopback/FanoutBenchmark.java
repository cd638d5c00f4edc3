package io.switchboard.simulator.loopback;

import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.server.SwitchboardServer;
import io.switchboard.simulator.ScratchDirectory;
import io.switchboard.simulator.net.ClientLoop;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.profile.MeasuredWindow;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one fan-out measurement against fresh embedded servers of one variant: the live phase (a {@link FanoutRun}
 * over real loopback WebSockets), then the stored phase (a {@link StoredLoad}), weighing the heap (after full
 * collections, in this process, which holds the server) and the journal's disk blocks ({@code du}) before and after.
 * The measured window's listener hears when the live phase's window opens and closes.
 */
final class FanoutBenchmark {
    /** Time for the server to see the members' connections close before the stored phase weighs anything. */
    private static final long SETTLE_MILLIS = 1000;

    private FanoutBenchmark() {}

    static FanoutResult run(
            String variant, Map<String, String> serverSettings, FanoutSpec spec, MeasuredWindow.Listener measured)
            throws Exception {
        FanoutRun live = new FanoutRun(spec, measured);
        try (ScratchDirectory data = new ScratchDirectory("switchboard-fanout");
                SwitchboardServer server = start(variant, serverSettings, data.path());
                ClientLoop clients = new ClientLoop(false, server)) {
            live.attach(connect(server, clients, spec.groupSize(), live));
            live.welcomed().get(120, TimeUnit.SECONDS);
            live.create(clients.loop());
            live.created().get(60, TimeUnit.SECONDS);
            live.start(clients.loop());
            long budget = spec.warmup().plus(spec.duration()).plus(spec.drain()).toSeconds() + 30;
            live.finished().get(budget, TimeUnit.SECONDS);
        }
        int messages = spec.storedMessages();
        long heapBytes;
        long journalBytes;
        try (ScratchDirectory data = new ScratchDirectory("switchboard-fanout-stored");
                SwitchboardServer server = start(variant, serverSettings, data.path());
                ClientLoop clients = new ClientLoop(false, server)) {
            StoredLoad stored = new StoredLoad(spec.groupSize(), messages, spec.bodyBytes());
            stored.attach(connect(server, clients, spec.groupSize(), stored));
            stored.welcomed().get(120, TimeUnit.SECONDS);
            stored.create(clients.loop());
            stored.created().get(60, TimeUnit.SECONDS);
            stored.membersLeave(clients.loop());
            Thread.sleep(SETTLE_MILLIS);
            long heapBefore = heapAfterGc();
            long journalBefore = diskBytes(data.path().resolve("journal"));
            stored.send(clients.loop());
            stored.acknowledged().get(300, TimeUnit.SECONDS);
            heapBytes = (heapAfterGc() - heapBefore) / messages;
            journalBytes = (diskBytes(data.path().resolve("journal")) - journalBefore) / messages;
        }
        return result(variant, serverSettings, spec, live, messages, heapBytes, journalBytes);
    }

    /** Registers users 1..count in bulk and connects each over a loopback WebSocket. */
    private static VirtualClients connect(
            SwitchboardServer server, ClientLoop loop, int count, VirtualClients.Listener listener) {
        server.accounts().registerAll(1, count, 1, user -> ClientLoop.token(0, user, 1));
        VirtualClients clients =
                loop.clients(count, new DeviceSlots(1), (user, device) -> ClientLoop.token(0, user, device), listener);
        loop.loop().execute(() -> {
            for (int i = 0; i < count; i++) {
                clients.connect(i);
            }
        });
        return clients;
    }

    private static FanoutResult result(
            String variant,
            Map<String, String> settings,
            FanoutSpec spec,
            FanoutRun live,
            int messages,
            long heapBytes,
            long journalBytes) {
        return new FanoutResult(
                variant,
                settings,
                spec,
                live.achievedDeliveriesPerSecond(),
                live.deliveries.sendToDeliver,
                live.sendToAck,
                live.sent,
                live.acked,
                live.deliveries.delivered,
                live.lost(),
                live.deliveries.duplicates,
                live.errors,
                live.firstError,
                messages,
                heapBytes,
                journalBytes);
    }

    private static SwitchboardServer start(String variant, Map<String, String> serverSettings, Path data)
            throws InterruptedException {
        Settings settings = Settings.empty().with("server.port", 0, "fanout").with("server.data", data, "fanout");
        serverSettings.forEach((key, value) -> settings.with(key, value, "variant " + variant));
        return SwitchboardServer.start(ServerContext.conclude(settings));
    }

    /** Heap in use after full collections: what is still referenced. */
    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Bytes of disk blocks under a directory, as {@code du} counts them: the journal's files are sparse and mapped,
     * so their length says nothing of what was written.
     */
    private static long diskBytes(Path directory) throws IOException, InterruptedException {
        if (!Files.exists(directory)) {
            return 0;
        }
        Process du = new ProcessBuilder("du", "-s", "-B1", directory.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (du.waitFor() != 0) {
            throw new IOException("du failed: " + output);
        }
        return Long.parseLong(output.split("\\s+")[0]);
    }
}
