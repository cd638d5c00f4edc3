package io.switchboard.core.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.Routing;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.WireCodec;
import io.switchboard.core.router.sharded.ShardedRouter;
import io.switchboard.core.testing.TestClient;
import io.switchboard.core.testing.TestServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real server per test, on loopback, with the routing (and settings) a subclass picks; every test runs once for each
 * encoding, its clients speaking sb.json.v1 and then sb.bin.v1, so that each contract holds for both.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(WireCodec.class)
abstract class ServerContract {
    static final long ALICE = 42;
    static final long BOB = 99;

    @TempDir
    Path data;

    TestServer server;

    /** The encoding every client of this run speaks ({@link TestServer#connect}, {@link TestServer#session}). */
    @Parameter
    WireCodec codec;

    abstract Routing routing();

    Map<String, Object> settings() {
        return Map.of();
    }

    @BeforeEach
    void startServer() {
        server = TestServer.start(routing(), data, settings()).codec(codec);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Stops the server and starts another on the same data directory, as a restart would. */
    void restart() {
        server.close();
        server = TestServer.start(routing(), data, settings()).codec(codec);
    }

    /** The owners of user state: each a shard of sharded routing; locked routing's stripes answer on any thread. */
    int owners() {
        return routing() == Routing.LOCKED
                ? 1
                : Integer.parseInt(String.valueOf(settings().getOrDefault("router.shards", TestServer.SHARDS)));
    }

    /** The shard that owns {@code user} in this run's sharded routing. */
    int shardOf(long user) {
        return ShardedRouter.shardOf(user, owners());
    }

    /** Fails if the server has sent, or is about to send, {@code client} any frame. */
    void expectNothing(TestClient client) {
        client.expectNothingFromAnyShard(owners());
    }

    /**
     * Settings with three shards, on which Alice and Bob have one each (on two they share one), so that everything
     * between them crosses a peer ring; {@code more} adds key and value pairs.
     */
    static Map<String, Object> aliceAndBobApart(Object... more) {
        assertThat(ShardedRouter.shardOf(ALICE, 3)).as("Alice's shard").isNotEqualTo(ShardedRouter.shardOf(BOB, 3));
        Map<String, Object> settings = new HashMap<>();
        settings.put("router.shards", 3);
        for (int i = 0; i < more.length; i += 2) {
            settings.put((String) more[i], more[i + 1]);
        }
        return settings;
    }

    static Frame recv(long seq) {
        return new Frame().reset(FrameType.RECV).seq(seq);
    }
}
