package io.switchboard.simulator.run;

import io.switchboard.simulator.fault.NetworkProxy;
import io.switchboard.simulator.fault.ProcessServer;
import io.switchboard.simulator.fault.ReachedServer;
import io.switchboard.simulator.fault.ServerScrapes;
import io.switchboard.simulator.net.ClientLoop;
import io.switchboard.simulator.net.ClientRoute;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.profile.MeasuredWindow;
import io.switchboard.simulator.scenario.Scenario;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One variant of a scenario against the server as a process of its own ({@code server.mode: process}): started
 * through the launcher with the variant's settings, every user registered over HTTP as an app does, the devices over
 * loopback WebSockets, the scenario's faults on their timeline ({@link FaultTimeline}), and the server's counters and
 * heap scraped from its {@code /metrics}. A server its user started ({@code run --target}) is driven the same way,
 * without being started, and without faults on its process. There is no heap census (the server's heap is not this JVM's) and no count
 * of what the server still held at the end of a drain that did not settle (that asks an embedded server).
 */
final class ProcessRun {
    /**
     * The size of the data directory's own filesystem in a run with a {@code diskFull} fault: room for minutes of a
     * run's journal above the server's default reserve (four 64 MiB blocks, 256 MiB, below which it refuses sends),
     * and a small share of this machine's memory, which a tmpfs takes as it fills.
     */
    static final long DISK_FULL_BYTES = 1L << 30;

    private ProcessRun() {}

    static RunOutcome run(
            Scenario scenario,
            Map<String, String> settings,
            Path dir,
            ClientRoute route,
            MeasuredWindow.Listener measured,
            PrintStream out)
            throws Exception {
        boolean diskFull = scenario.faults().stream().anyMatch(fault -> fault.kind() == Scenario.FaultKind.DISK_FULL);
        try (ProcessServer server = ProcessServer.start(dir, settings, diskFull ? DISK_FULL_BYTES : 0)) {
            return drive(scenario, null, server, server, route, measured, out);
        }
    }

    /**
     * The run against {@code server}, already running.
     *
     * @param worker this process's part in a run with {@code --workers}: its share of the users, the address its
     *     clients connect from, and when to start; null for a run of its own
     * @param owned the same server when the run started it (its faults may kill it), null when its user did
     */
    static RunOutcome drive(
            Scenario scenario,
            Worker worker,
            ReachedServer server,
            ProcessServer owned,
            ClientRoute route,
            MeasuredWindow.Listener measured,
            PrintStream out)
            throws Exception {
        boolean onTheNetwork = scenario.faults().stream().anyMatch(Scenario.Fault::onTheNetwork);
        try (NetworkProxy network = onTheNetwork ? new NetworkProxy(scenario.seed()) : null;
                ClientLoop loop = new ClientLoop(
                        server.webSocket(),
                        network == null ? route : address -> network.connectTo(route.connectTo(address)))) {
            UserShare share = worker == null ? UserShare.whole(scenario) : worker.share();
            if (worker != null && worker.source() != null) {
                loop.bindFrom(worker.source());
            }
            out.println("  server " + server.describe() + "; clients " + loop.describe());
            long registering = System.nanoTime();
            String[] tokens = server.register(share.userBase(), scenario.users());
            out.printf(
                    "  registered %,d accounts over HTTP in %.1f s%n",
                    scenario.users(), (System.nanoTime() - registering) / 1e9);
            ScenarioRun run = new ScenarioRun(
                    scenario, share, new WindowCosts(measured, -1), Sealing.PLAIN, MediaMessages.none(scenario));
            // Only a run with faults hears its connections through Outages: without, a closed connection fails it.
            Outages outages = scenario.faults().isEmpty() ? null : run.outages();
            VirtualClients clients = loop.clients(
                    scenario.users(),
                    new DeviceSlots(1, share.userBase()),
                    (user, device) -> tokens[(int) (user - share.userBase()) - 1],
                    outages == null ? run : outages,
                    scenario.codec().wire());
            run.attach(clients);
            if (outages != null) {
                outages.attach(clients);
            }
            if (network != null) {
                // The slow readers always take the slow lane, which paces them only while their fault lasts.
                clients.route(outages.slowReaders()::slow, network.slowLane(route.connectTo(address(server))));
            }
            ScenarioRunner.connect(run, loop, out);
            ScenarioRunner.createGroups(scenario, run, loop, out);
            server.scrapes().start(server.metrics());
            FaultTimeline faults = new FaultTimeline(scenario.faults(), owned, network, outages, run, out);
            ResourceTrend trend;
            try (faults) {
                if (worker != null) {
                    worker.awaitStart(out); // every worker's workload and faults start together
                }
                trend = owned == null ? null : sampled(scenario, owned);
                run.start(loop.loop());
                faults.start();
                ScenarioRunner.showProgress(scenario, run, out);
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage() + "\n" + server.whereToLook(), e);
            }
            ServerFigures figures = scraped(server, trend == null ? null : trend.stop());
            RunOutcome outcome = loop.loop()
                    .submit(() -> {
                        faults.report();
                        if (outages != null) {
                            outages.end();
                        }
                        return run.outcome(
                                null, figures, HeldAtEnd.NOTHING, outages == null ? List.of() : outages.outages());
                    })
                    .get();
            outcome.outages().forEach(outage -> out.println("  " + outage));
            if (outcome.resources() != null) {
                ResourceTrend.print(outcome.resources(), out);
            }
            return outcome;
        }
    }

    private static InetSocketAddress address(ReachedServer server) {
        return new InetSocketAddress(
                server.webSocket().getHost(), server.webSocket().getPort());
    }

    /**
     * The server process's heap (its {@code /metrics}, each second) and its journal directory over the sending: the
     * server's alone, where an embedded server's heap is the simulator's too.
     */
    private static ResourceTrend sampled(Scenario scenario, ProcessServer server) {
        return ResourceTrend.start(
                server.data().resolve("journal"), scenario.warmup().plus(scenario.duration()), () ->
                        (Long) ServerScrapes.gc(server.metrics()).get("heapUsedBytes"));
    }

    static ServerFigures scraped(ReachedServer server) throws Exception {
        return scraped(server, null);
    }

    /** @param resources the server's heap and journal over the sending; null where not sampled */
    private static ServerFigures scraped(ReachedServer server, Map<String, Object> resources) throws Exception {
        Map<String, Long> counters = server.scrapes().counters(server.metrics());
        Map<String, Object> gc = ServerScrapes.gc(server.metrics());
        return new ServerFigures() {
            @Override
            public Map<String, Long> counters() {
                return counters;
            }

            @Override
            public Map<String, Object> gc() {
                return gc;
            }

            @Override
            public Map<String, Object> resources() {
                return resources;
            }
        };
    }
}
