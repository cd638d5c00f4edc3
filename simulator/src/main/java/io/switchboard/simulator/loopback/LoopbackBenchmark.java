package io.switchboard.simulator.loopback;

import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.server.SwitchboardServer;
import io.switchboard.simulator.ScratchDirectory;
import io.switchboard.simulator.net.ClientLoop;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.profile.MeasuredWindow;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one loopback measurement: an embedded server of the given variant on a free port, 2 x pairs registered
 * devices (registered in bulk) connected over real WebSockets from one client I/O thread, the open-loop load of a {@link LoadRun}, then
 * everything torn down. Server and client share this machine's cores; the result says so. The measured window's
 * listener hears when the window opens and closes.
 */
final class LoopbackBenchmark {

    private LoopbackBenchmark() {}

    static LoadResult run(
            String variant, Map<String, String> serverSettings, LoadSpec spec, MeasuredWindow.Listener measured)
            throws Exception {
        try (ScratchDirectory data = new ScratchDirectory("switchboard-loopback")) {
            Settings settings =
                    Settings.empty().with("server.port", 0, "loopback").with("server.data", data.path(), "loopback");
            serverSettings.forEach((key, value) -> settings.with(key, value, "variant " + variant));
            try (SwitchboardServer server = SwitchboardServer.start(ServerContext.conclude(settings));
                    ClientLoop clients = new ClientLoop(false, server)) {
                LoadRun run = new LoadRun(spec, measured);
                int devices = 2 * spec.pairs();
                server.accounts().registerAll(1, devices, 1, user -> ClientLoop.token(0, user, 1));
                VirtualClients connections = clients.clients(
                        devices, new DeviceSlots(1), (user, device) -> ClientLoop.token(0, user, device), run);
                run.attach(connections);
                clients.loop().execute(() -> {
                    for (int i = 0; i < devices; i++) {
                        connections.connect(i);
                    }
                });
                run.welcomed().get(60, TimeUnit.SECONDS);
                run.start(clients.loop());
                long budget =
                        spec.warmup().plus(spec.duration()).plus(spec.drain()).toSeconds() + 30;
                run.finished().get(budget, TimeUnit.SECONDS);
                return clients.loop()
                        .submit(() -> run.result(variant, serverSettings))
                        .get();
            }
        }
    }
}
