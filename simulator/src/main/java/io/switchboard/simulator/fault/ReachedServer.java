package io.switchboard.simulator.fault;

import java.io.IOException;
import java.net.URI;

/**
 * A server the run reaches as a user's app would, in a process other than the simulator's: one it started ({@link
 * ProcessServer}) or one its user started ({@link TargetServer}). Devices connect to its WebSocket, users register
 * over HTTP, and its counters come from its {@code /metrics}.
 */
public interface ReachedServer {
    URI webSocket();

    URI metrics();

    /** Where it runs, for the run's output. */
    String describe();

    /**
     * Registers device 1 of users {@code userBase + 1..userBase + users} over HTTP; returns their tokens by user index
     * (user − userBase − 1).
     */
    String[] register(long userBase, int users) throws IOException, InterruptedException;

    /** The counters over the workload; call {@code scrapes().start} first. */
    ServerScrapes scrapes();

    /** What to read beside a failed run's message: the server's last log lines, or where its log is. */
    String whereToLook() throws IOException;
}
