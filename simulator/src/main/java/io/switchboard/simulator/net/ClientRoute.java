package io.switchboard.simulator.net;

import java.net.InetSocketAddress;

/**
 * Where socket clients connect to reach a server: the server itself, or something in front of it that passes the
 * WebSocket traffic on (a proxy that injects faults, so that a test can show the oracle catching them).
 */
@FunctionalInterface
public interface ClientRoute {
    /** Straight to the server. */
    ClientRoute DIRECT = server -> server;

    /** The address that reaches {@code server}. */
    InetSocketAddress connectTo(InetSocketAddress server);
}
