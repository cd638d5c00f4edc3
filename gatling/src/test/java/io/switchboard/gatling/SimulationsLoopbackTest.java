package io.switchboard.gatling;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatling.app.Gatling$;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.server.SwitchboardServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs a short {@link OneToOneChat} and {@link GroupChat} through Gatling against an embedded server on a free
 * loopback port, so the simulations keep compiling and keep speaking the protocol the server speaks: Gatling exits non-zero when a request
 * fails or an assertion (no failed requests, the p99 bound) does not hold.
 */
class SimulationsLoopbackTest {
    private static final Map<String, String> LOAD = Map.of(
            Load.USERS_PROP, "10",
            Load.RATE_PROP, "100",
            Load.DURATION_PROP, "3",
            // Behaviour, not speed: figures come from real runs, not from a test on a busy machine.
            Load.P99_BOUND_PROP, "5000");

    @AfterEach
    void clearLoad() {
        LOAD.keySet().forEach(System::clearProperty);
        System.clearProperty(Load.GROUP_SIZE_PROP);
        System.clearProperty(Load.TARGET_PROP);
    }

    @Test
    void shouldExchangeMessagesInPairsWithEveryAckAndMsgChecked(@TempDir Path data) throws Exception {
        assertThat(runAgainstEmbeddedServer(OneToOneChat.class, Map.of(), data))
                .as("Gatling's exit status")
                .isZero();
    }

    @Test
    void shouldCreateGroupsAndGetTheDeliveredReceiptOfEveryGroupMessage(@TempDir Path data) throws Exception {
        assertThat(runAgainstEmbeddedServer(
                        GroupChat.class, Map.of(Load.USERS_PROP, "8", Load.GROUP_SIZE_PROP, "4"), data))
                .as("Gatling's exit status")
                .isZero();
    }

    private static int runAgainstEmbeddedServer(Class<?> simulation, Map<String, String> more, Path data)
            throws Exception {
        Settings settings = Settings.empty().with("server.port", 0, "test").with("server.data", data, "test");
        try (SwitchboardServer server = SwitchboardServer.start(ServerContext.conclude(settings))) {
            LOAD.forEach(System::setProperty);
            more.forEach(System::setProperty);
            System.setProperty(Load.TARGET_PROP, "127.0.0.1:" + server.port());
            return Gatling$.MODULE$.fromArgs(new String[] {
                "--simulation", simulation.getName(),
                "--results-folder", data.resolve("gatling").toString(),
                "--no-reports"
            });
        }
    }
}
