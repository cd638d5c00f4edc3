package io.switchboard.simulator.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated scenario: who the users are, what they send, for how long, against which server settings, which
 * variants to compare, and which service-level objectives the run must meet.
 *
 * @param file where it was loaded from
 * @param name the scenario's name (the file name without {@code .yaml} unless given)
 * @param question the question it answers: its opening comment
 * @param seed the workload's random seed: the same seed gives the same workload
 * @param users registered users, one device each
 * @param transport how virtual clients reach the server
 * @param duration measured time, after the warm-up
 * @param warmup time before measuring; its messages are checked by the oracle but not timed
 * @param drain time allowed after sending stops for in-flight messages and receipts to arrive
 * @param messages the one-to-one message workload
 * @param server server settings for every variant (keys of docs/configuration.md)
 * @param variants variants to run one after another on the same seeded workload; empty means one run
 * @param slos objectives checked after the run; a failed one makes {@code run} exit non-zero
 */
public record Scenario(
        Path file,
        String name,
        String question,
        long seed,
        int users,
        Transport transport,
        Duration duration,
        Duration warmup,
        Duration drain,
        Messages messages,
        Map<String, String> server,
        List<Variant> variants,
        List<Slo> slos) {

    /** The one-to-one workload: open-loop Poisson arrivals at {@code ratePerSecond} over random sender/recipient pairs. */
    public record Messages(int ratePerSecond, int bodyBytes, double readShare) {}

    /** A named set of server settings layered over {@link Scenario#server()}. */
    public record Variant(String name, Map<String, String> server) {}

    /** How virtual clients connect. */
    public enum Transport {
        /** Real WebSocket connections over loopback (bounded by the open-files limit, about 19k per process here). */
        WEBSOCKET,
        /** Direct calls into the embedded core through the same codec and session code (not available yet). */
        IN_PROCESS
    }
}
