package io.switchboard.simulator.run;

import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.accounts.DeviceId;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.config.TransportContext;
import io.switchboard.core.push.PushPlatform;
import io.switchboard.core.push.PushRegistration;
import io.switchboard.core.push.SimPushProvider;
import io.switchboard.core.server.SwitchboardServer;
import io.switchboard.simulator.ScratchDirectory;
import io.switchboard.simulator.e2ee.KeyServer;
import io.switchboard.simulator.e2ee.SignalDevices;
import io.switchboard.simulator.media.S3ProxyStore;
import io.switchboard.simulator.net.ClientLoop;
import io.switchboard.simulator.net.ClientRoute;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.DirectLoop;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.profile.MeasuredWindow;
import io.switchboard.simulator.scenario.Scenario;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one variant of a scenario: a fresh embedded server with the variant's settings and its own data directory,
 * every user's account registered in bulk and its companion devices linked with codes its primary obtained, every
 * device connected as the churn schedule says — over loopback WebSockets, in-process over Netty local channels into
 * the same server pipeline, or direct to the router from a thread of their own — the workload, the drain, and the
 * oracle's
 * verdict. Prints a live progress line while it runs, and the heap per user measured before the workload. The
 * measured window's listener hears when the window opens and closes (a profile records in between).
 */
final class ScenarioRunner {
    private ScenarioRunner() {}

    static RunOutcome run(
            Scenario scenario,
            String variant,
            Map<String, String> server,
            ClientRoute route,
            MeasuredWindow.Listener measured,
            PrintStream out)
            throws Exception {
        try (ScratchDirectory data = new ScratchDirectory("switchboard-run");
                S3ProxyStore s3 = S3ProxyStore.startIfAsked(server, data.path().resolve("s3proxy"))) {
            Map<String, String> given = s3 == null ? server : s3.settings(server);
            if (scenario.serverMode() == Scenario.ServerMode.PROCESS) {
                return ProcessRun.run(scenario, given, data.path(), route, measured, out);
            }
            Settings settings = Settings.empty().with("server.port", 0, "run").with("server.data", data.path(), "run");
            if (scenario.transport() == Scenario.Transport.IN_PROCESS) {
                settings.with(TransportContext.IN_PROCESS_PROP, true, "transport in-process");
            }
            given.forEach((key, value) ->
                    settings.with(key, value, "scenario " + scenario.file().getFileName()));
            return run(scenario, settings, route, measured, out);
        }
    }

    private static RunOutcome run(
            Scenario scenario, Settings settings, ClientRoute route, MeasuredWindow.Listener measured, PrintStream out)
            throws Exception {
        boolean inProcess = scenario.transport() == Scenario.Transport.IN_PROCESS;
        VirtualClients.Tokens tokens = (user, device) -> ClientLoop.token(scenario.seed(), user, device);
        // The direct loop closes last: the server's shards may wake it until they stop.
        ServerContext context = ServerContext.conclude(settings);
        try (DirectLoop direct = scenario.transport() == Scenario.Transport.DIRECT ? new DirectLoop() : null;
                SwitchboardServer embedded = SwitchboardServer.start(context, direct);
                ClientLoop loop = direct != null
                        ? new ClientLoop(direct, embedded)
                        : new ClientLoop(inProcess, embedded, inProcess ? ClientRoute.DIRECT : route);
                MediaMessages media = new MediaMessages(
                        scenario,
                        new DeviceSlots(scenario.devicesPerUser()),
                        tokens,
                        loop.loop(),
                        URI.create(embedded.httpUrl()))) {
            out.println("  server " + embedded.webSocketUrl() + " (" + embedded.transportName() + "), dashboard "
                    + embedded.adminUrl() + "/dashboard; clients " + loop.describe() + ", wire format "
                    + scenario.wireFormat());
            boolean census = scenario.users() >= HeapCensus.MIN_USERS;
            long serverStarted = census ? HeapCensus.usedAfterGc() : 0;
            long registering = System.nanoTime();
            register(embedded.accounts(), scenario.users(), scenario.devicesPerUser(), tokens);
            out.printf(
                    "  registered %,d accounts (%,d devices) in %.1f s%n",
                    scenario.users(),
                    (long) scenario.users() * scenario.devicesPerUser(),
                    (System.nanoTime() - registering) / 1e9);
            Sealing sealing = sealing(scenario, embedded, tokens, out);
            long accountsRegistered = census ? HeapCensus.usedAfterGc() : 0;
            ScenarioRun run = new ScenarioRun(
                    scenario, UserShare.whole(scenario), WindowCosts.of(measured, loop.loop()), sealing, media);
            try {
                run.attach(loop.devices(
                        scenario.users(),
                        new DeviceSlots(scenario.devicesPerUser()),
                        tokens,
                        run,
                        scenario.codec().wire()));
                registerBackgroundPhones(embedded, run.wakes(), scenario);
                long clientsAllocated = census ? HeapCensus.usedAfterGc() : 0;
                connect(run, loop, out);
                HeapCensus heap = census
                        ? new HeapCensus(
                                scenario.users(),
                                scenario.devicesPerUser(),
                                run.initiallyOnline(),
                                serverStarted,
                                accountsRegistered,
                                clientsAllocated,
                                HeapCensus.usedAfterGc())
                        : null;
                if (heap != null) {
                    out.printf(
                            "  heap after full GC: %,d B per registered user (server), %,d B (simulator), %,d B per"
                                    + " online device (both ends of its connection and its session)%n",
                            heap.perRegisteredServer(), heap.perRegisteredClient(), heap.perOnline());
                }
                createGroups(scenario, run, loop, out);
                establishSessions(scenario, run, loop, out);
                RuntimeFigures runtime = RuntimeFigures.start(
                        embedded.metrics(),
                        context.accounts().dataDir().resolve("journal"),
                        scenario.warmup().plus(scenario.duration()));
                run.start(loop.loop());
                showProgress(scenario, run, out);
                long walking = System.nanoTime();
                HeldAtEnd held = run.heldAtEnd(embedded);
                if (held != HeldAtEnd.NOTHING) {
                    out.printf(
                            "  end of the drain: barrier passed in %,d ms (%,d devices unconfirmed); the server still held"
                                    + " %,d owed deliveries and %,d missing receipts, and had ignored reads of %,d"
                                    + " messages after forgetting unread ones (walked in %d ms)%n",
                            held.barrierMs(),
                            held.unconfirmed(),
                            held.messages(),
                            held.receipts(),
                            held.readsIgnored(),
                            (System.nanoTime() - walking) / 1_000_000);
                }
                RunOutcome outcome = loop.loop()
                        .submit(() -> run.outcome(heap, runtime, held, List.of()))
                        .get();
                ResourceTrend.print(outcome.resources(), out);
                WindowCosts.Figures costs = outcome.windowCosts();
                if (!Double.isNaN(costs.loadCpuShare())) {
                    out.printf(
                            "  load generator (clients and oracle, one thread%s): %.0f%% of this process's CPU over the"
                                    + " window%n",
                            inProcess ? ", which also runs the server's side of their in-process channels" : "",
                            100 * costs.loadCpuShare());
                }
                WindowCosts.CpuPerMessage cpu = costs.cpuPerMessage(outcome.windowDelivered());
                if (cpu != null) {
                    out.printf(
                            "  CPU over the window: %.2f µs per message delivered (the load generator's thread %.2f),"
                                    + " %.2f cores busy%s%n",
                            cpu.processMicros(),
                            cpu.loadThreadMicros(),
                            cpu.coresBusy(),
                            Double.isNaN(cpu.stealShare())
                                    ? ""
                                    : String.format(
                                            "; the host took %.1f%% of the machine's CPU time (steal)",
                                            100 * cpu.stealShare()));
                }
                WindowCosts.PerMessage allocated = costs.perMessage(outcome.windowSent());
                if (allocated != null) {
                    out.printf(
                            "  allocated over the window: %,d B per message sent (the load generator's thread %,d,"
                                    + " the other threads %,d)%n",
                            allocated.process(), allocated.loadThread(), allocated.otherThreads());
                }
                return outcome;
            } finally {
                run.close();
            }
        }
    }

    /** Connects the devices online at the start and waits for their welcomes. */
    static void connect(ScenarioRun run, ClientLoop loop, PrintStream out) throws Exception {
        long connecting = System.nanoTime();
        run.connect(loop.loop());
        run.welcomed().get(10, TimeUnit.MINUTES);
        out.printf(
                "  %,d devices online at the start, connected in %.1f s%n",
                run.initiallyOnline(), (System.nanoTime() - connecting) / 1e9);
    }

    /** Creates the scenario's groups, if it has any, before the workload. */
    static void createGroups(Scenario scenario, ScenarioRun run, ClientLoop loop, PrintStream out) throws Exception {
        if (scenario.groups().count() > 0) {
            long creating = System.nanoTime();
            run.createGroups(loop.loop()).get(10, TimeUnit.MINUTES);
            out.printf(
                    "  %,d groups created in %.1f s%n",
                    scenario.groups().count(), (System.nanoTime() - creating) / 1e9);
        }
    }

    /** With {@code sessions: established} and Signal clients: their sessions and sender keys, before the workload. */
    static void establishSessions(Scenario scenario, ScenarioRun run, ClientLoop loop, PrintStream out)
            throws Exception {
        if (scenario.sessions() == Scenario.Sessions.ESTABLISHED
                && scenario.encryption() == Scenario.Encryption.SIGNAL) {
            long establishing = System.nanoTime();
            run.establishSessions(loop.loop()).get(10, TimeUnit.MINUTES);
            out.printf(
                    "  sessions with every contact and group member established in %.1f s%n",
                    (System.nanoTime() - establishing) / 1e9);
        }
    }

    /**
     * Every user's account with device 1 as its primary, then each companion linked as a client links one: with a link
     * code the primary obtains (protocol.md, Accounts and devices), in bulk, since the server is the run's own.
     */
    private static void register(AccountStore accounts, int users, int devicesPerUser, VirtualClients.Tokens tokens) {
        accounts.registerAll(1, users, 1, user -> tokens.token(user, 1));
        for (int device = 2; device <= devicesPerUser; device++) {
            int companion = device;
            accounts.linkAll(1, users, companion, user -> tokens.token(user, 1), user -> tokens.token(user, companion));
        }
    }

    /**
     * How the run's clients seal messages: as plaintext, or with Signal keys made for every device and uploaded as each
     * device would upload them at registration ({@code PUT /v1/keys}, over HTTP).
     */
    private static Sealing sealing(
            Scenario scenario, SwitchboardServer embedded, VirtualClients.Tokens tokens, PrintStream out) {
        if (scenario.encryption() == Scenario.Encryption.NONE) {
            return Sealing.PLAIN;
        }
        long making = System.nanoTime();
        DeviceSlots slots = new DeviceSlots(scenario.devicesPerUser());
        SignalDevices devices = new SignalDevices(scenario.seed(), scenario.users(), slots);
        KeyServer keys = new KeyServer(embedded.httpUrl(), tokens::token);
        keys.registerAll(devices, slots, scenario.users(), SignalEnvelopes.ONE_TIME_KEYS);
        out.printf(
                "  Signal keys of %,d devices made and uploaded in %.1f s (%d one-time keys of each kind each)%n",
                slots.count(scenario.users()), (System.nanoTime() - making) / 1e9, SignalEnvelopes.ONE_TIME_KEYS);
        return (runSlots, groups, ids, failure) ->
                new SignalEnvelopes(runSlots, groups, devices, keys, ids, slots.count(scenario.users()), failure);
    }

    /**
     * Each phone in the background registers for {@code sim} pushes (as {@code PUT /v1/push} would, in bulk since the
     * server is the run's own), and the server's {@code sim} platform wakes it through {@link PushWakes#pushed}.
     */
    private static void registerBackgroundPhones(SwitchboardServer embedded, PushWakes wakes, Scenario scenario) {
        if (!wakes.enabled()) {
            return;
        }
        SimPushProvider sim = embedded.push().sim();
        if (sim == null) {
            throw new IllegalStateException("devices.background needs the sim push platform: push.sim.enabled: true");
        }
        sim.listener((user, device, token) -> wakes.pushed(user, device));
        DeviceSlots slots = new DeviceSlots(scenario.devicesPerUser());
        for (int slot = 0, n = slots.count(scenario.users()); slot < n; slot++) {
            if (wakes.background(slot)) {
                DeviceId phone = new DeviceId(VirtualClients.userOf(slots.user(slot)), slots.device(slot));
                embedded.accounts().pushes().register(phone, new PushRegistration(PushPlatform.SIM, "phone-" + slot));
            }
        }
    }

    /** A progress line a second until the run has drained: elapsed/remaining, offered and achieved rate, p99, errors. */
    static void showProgress(Scenario scenario, ScenarioRun run, PrintStream out) throws Exception {
        double total = (scenario.warmup().toMillis() + scenario.duration().toMillis()) / 1000.0;
        boolean terminal = System.console() != null;
        long lastDelivered = 0;
        int lines = 0;
        while (true) {
            try {
                run.finished().get(1, TimeUnit.SECONDS);
                break;
            } catch (TimeoutException stillRunning) {
                SecondSeries.Progress progress = run.progress();
                String phase = progress.elapsedSec() < total
                        ? String.format("%4.0fs / %.0fs", progress.elapsedSec(), total)
                        : String.format("draining %4.0fs", progress.elapsedSec() - total);
                String line = String.format(
                        "  [%s] offered %,d/s  achieved %,d/s  p99 %s  sent %,d  delivered %,d  online %,d  errors %d",
                        phase,
                        scenario.messages().ratePerSecond(),
                        progress.delivered() - lastDelivered,
                        RunCommandFormat.micros(progress.p99Micros()),
                        progress.sent(),
                        progress.delivered(),
                        progress.online(),
                        progress.errors());
                lastDelivered = progress.delivered();
                if (terminal) {
                    out.print("\r" + line + "   ");
                } else if (lines++ % 5 == 0) {
                    out.println(line);
                }
            }
        }
        if (terminal) {
            out.println();
        }
    }
}
