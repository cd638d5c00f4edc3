package io.switchboard.simulator.run;

import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.server.SwitchboardServer;
import io.switchboard.simulator.ScratchDirectory;
import io.switchboard.simulator.net.WsClients;
import io.switchboard.simulator.scenario.Scenario;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one variant of a scenario: a fresh embedded server with the variant's settings and its own data directory,
 * the scenario's users registered over HTTP and connected over WebSocket, the workload, the drain, and the oracle's
 * verdict. Prints a live progress line while it runs.
 */
final class ScenarioRunner {
    /** Two sockets per user live in this process (client and server side); the open-files limit is 20,000. */
    static final int MAX_WEBSOCKET_USERS = 9_000;

    private ScenarioRunner() {}

    static RunOutcome run(Scenario scenario, String variant, Map<String, String> server, PrintStream out)
            throws Exception {
        try (ScratchDirectory data = new ScratchDirectory("switchboard-run")) {
            Settings settings = Settings.empty().with("server.port", 0, "run").with("server.data", data.path(), "run");
            server.forEach((key, value) ->
                    settings.with(key, value, "scenario " + scenario.file().getFileName()));
            return run(scenario, settings, out);
        }
    }

    private static RunOutcome run(Scenario scenario, Settings settings, PrintStream out) throws Exception {
        try (SwitchboardServer embedded = SwitchboardServer.start(ServerContext.conclude(settings));
                WsClients clients = new WsClients("switchboard-clients")) {
            out.println("  server " + embedded.webSocketUrl() + " (" + embedded.transportName() + "), dashboard "
                    + embedded.httpUrl() + "/dashboard");
            ScenarioRun run = new ScenarioRun(scenario);
            clients.registerAndConnect(embedded.httpUrl(), embedded.webSocketUrl(), scenario.users(), run)
                    .forEach(run::add);
            run.welcomed().get(60, TimeUnit.SECONDS);
            run.start(clients.loop());
            showProgress(scenario, run, out);
            return clients.loop().submit(run::outcome).get();
        }
    }

    /** A progress line a second until the run has drained: elapsed/remaining, offered and achieved rate, p99, errors. */
    private static void showProgress(Scenario scenario, ScenarioRun run, PrintStream out) throws Exception {
        double total = (scenario.warmup().toMillis() + scenario.duration().toMillis()) / 1000.0;
        boolean terminal = System.console() != null;
        long lastDelivered = 0;
        int lines = 0;
        while (true) {
            try {
                run.finished().get(1, TimeUnit.SECONDS);
                break;
            } catch (TimeoutException stillRunning) {
                ScenarioRun.Progress progress = run.progress();
                String phase = progress.elapsedSec() < total
                        ? String.format("%4.0fs / %.0fs", progress.elapsedSec(), total)
                        : String.format("draining %4.0fs", progress.elapsedSec() - total);
                String line = String.format(
                        "  [%s] offered %,d/s  achieved %,d/s  p99 %s  sent %,d  delivered %,d  errors %d",
                        phase,
                        scenario.messages().ratePerSecond(),
                        progress.delivered() - lastDelivered,
                        RunCommandFormat.micros(progress.p99Micros()),
                        progress.sent(),
                        progress.delivered(),
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
