package io.switchboard.core.server;

import io.switchboard.core.config.Routing;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A real server per test, on loopback, with the routing (and settings) a subclass picks. */
abstract class ServerContract {
    static final long ALICE = 42;
    static final long BOB = 99;
    static final Duration QUIET = Duration.ofMillis(300);

    @TempDir
    Path data;

    TestServer server;

    abstract Routing routing();

    Map<String, Object> settings() {
        return Map.of();
    }

    @BeforeEach
    void startServer() {
        server = TestServer.start(routing(), data, settings());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    static Frame recv(long seq) {
        return new Frame().reset(FrameType.RECV).seq(seq);
    }
}
