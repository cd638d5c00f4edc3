package io.switchboard.core.server;

import io.switchboard.core.config.AccountsContext;
import io.switchboard.core.config.ConfigException;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.config.TransportContext;
import io.switchboard.core.router.FatalErrors;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code switchboard serve}: runs the chat server until SIGINT or SIGTERM. It lives with the server so that the
 * server starts from the core module alone ({@link #main}); the {@code switchboard} command line offers it too.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the chat server: WebSocket at ws://HOST:PORT/ws, registration at POST /v1/accounts.",
            "Settings come from defaults, then --config, then -Dswitchboard.<key>=<value>, then these options."
        })
public final class ServeCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "Port for WebSocket and HTTP (default: 8080; 0 picks a free one).")
    private Integer port;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to bind (default: 127.0.0.1).")
    private String host;

    @Option(
            names = "--admin-host",
            paramLabel = "HOST",
            description = "Address of /metrics and /dashboard when they have their own (default: 127.0.0.1).")
    private String adminHost;

    @Option(
            names = "--admin-port",
            paramLabel = "PORT",
            description = "Port of /metrics and /dashboard (default: the public port while it is bound to loopback,"
                    + " else the public port + 1 on the admin host).")
    private Integer adminPort;

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: ./data).")
    private Path data;

    @Option(
            names = "--config",
            paramLabel = "FILE.yaml",
            description = "YAML settings, e.g. router: {routing: locked, shards: 2}. See docs/configuration.md.")
    private Path config;

    @Spec
    private CommandSpec spec;

    /** The server alone, without the simulator on the class path: the same options as {@code switchboard serve}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new ServeCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ServerContext context;
        try {
            Settings settings = ServerContext.settings(config, System.getProperties())
                    .with(TransportContext.PORT_PROP, port, "--port")
                    .with(TransportContext.HOST_PROP, host, "--host")
                    .with(TransportContext.ADMIN_HOST_PROP, adminHost, "--admin-host")
                    .with(TransportContext.ADMIN_PORT_PROP, adminPort, "--admin-port")
                    .with(AccountsContext.DATA_DIR_PROP, data, "--data");
            context = ServerContext.conclude(settings);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("switchboard serve: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        SwitchboardServer server;
        try {
            server = SwitchboardServer.start(context);
        } catch (Error e) {
            // The threads started before the failure (I/O loops, owners) would keep alive a JVM whose main thread died:
            // a process serving nothing that a supervisor never restarts. main exits with the status instead.
            spec.commandLine()
                    .getErr()
                    .println("switchboard serve: could not start: " + e + " (exit status " + FatalErrors.EXIT_STATUS
                            + ")");
            e.printStackTrace(spec.commandLine().getErr());
            return FatalErrors.EXIT_STATUS;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            System.out.println("switchboard stopped");
                            stopped.countDown();
                        },
                        "switchboard-shutdown"));
        String dashboard = context.metrics().enabled()
                ? ", dashboard " + server.adminUrl() + "/dashboard, metrics " + server.adminUrl() + "/metrics"
                : "";
        System.out.println("switchboard serving " + server.webSocketUrl() + dashboard + " (" + server.transportName()
                + ", JDK " + Runtime.version() + ") " + context);
        stopped.await();
        return 0;
    }
}
