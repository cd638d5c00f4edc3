package io.switchboard.gatling;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * Connects {@code users} devices as fast as {@code rate} per second allows (register, WebSocket, hello → welcome), holds
 * all of them open together for {@code duration} seconds, then closes them. The count is bounded by the open-files
 * limit of 20,000 per process on this machine class (limits.md): one socket per connection in Gatling's JVM, and on
 * loopback one in the server's too, so at most {@value #MAX_CONNECTIONS} per run.
 *
 * <p>Load: {@code -Dusers} (default 1000), {@code -Drate} (connections/s; default 500), {@code -Dduration} (hold, s;
 * default 10), {@code -Dtarget}.
 */
public class ConnectionStorm extends Simulation {
    /** 20,000 open files per process, less what a JVM holds itself (jars, epoll, pipes) and shared HTTP. */
    static final int MAX_CONNECTIONS = 19_900;
    /** Every connection must get its welcome. */
    static final long MAX_FAILED_REQUESTS = 0;
    /** p99 of hello→welcome under the storm, in ms. */
    static final int P99_BOUND_MS = 1000;

    public ConnectionStorm() {
        this(Load.fromSystemProperties(1000, 500, 10));
    }

    ConnectionStorm(Load load) {
        if (load.users() > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("-Dusers=" + load.users() + " is above " + MAX_CONNECTIONS
                    + ": a process may hold 20,000 open files here; run several Gatling processes instead");
        }
        ScenarioBuilder storm = scenario("ConnectionStorm")
                .exec(Chat.register(load))
                .exec(Chat.connect(load))
                // Every connection is open at once from here, for the hold time.
                .rendezVous(load.users())
                .pause(load.duration())
                .exec(ws("close").close());
        setUp(storm.injectOpen(rampUsers(load.users()).during(Duration.ofMillis(1000L * load.users() / load.rate()))))
                .protocols(Chat.protocol(load))
                .assertions(
                        global().failedRequests().count().lte(MAX_FAILED_REQUESTS),
                        details(Chat.WELCOME).responseTime().percentile(99.0).lt(Load.p99BoundMs(P99_BOUND_MS)));
    }
}
