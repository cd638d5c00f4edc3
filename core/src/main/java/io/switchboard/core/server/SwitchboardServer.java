package io.switchboard.core.server;

import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.session.MemoryMessageStore;
import io.switchboard.core.session.MessageStore;
import io.switchboard.core.transport.NettyServer;
import org.agrona.CloseHelper;

/** The whole chat server: accounts, the message store, the router and the network, started and stopped together. */
public final class SwitchboardServer implements AutoCloseable {
    private final AccountStore accounts;
    private final MessageStore store;
    private final NettyServer netty;
    private final ServerMetrics metrics;

    private SwitchboardServer(AccountStore accounts, MessageStore store, NettyServer netty, ServerMetrics metrics) {
        this.accounts = accounts;
        this.store = store;
        this.netty = netty;
        this.metrics = metrics;
    }

    /** Opens the data directory, starts the router threads and binds the port. */
    public static SwitchboardServer start(ServerContext context) throws InterruptedException {
        AccountStore accounts = AccountStore.open(context.accounts().dataDir());
        MessageStore store = new MemoryMessageStore(context.router().maxQueuedPerDevice());
        ServerMetrics metrics = new ServerMetrics(
                context.metrics().enabled(), context.router().routing().configName());
        try {
            return new SwitchboardServer(
                    accounts, store, NettyServer.start(context, accounts, store, metrics), metrics);
        } catch (RuntimeException | InterruptedException e) {
            CloseHelper.closeAll(metrics, store, accounts);
            throw e;
        }
    }

    public int port() {
        return netty.port();
    }

    /** The WebSocket URL clients connect to. */
    public String webSocketUrl() {
        return "ws://" + netty.context().transport().host() + ":" + port() + "/ws";
    }

    public String httpUrl() {
        return "http://" + netty.context().transport().host() + ":" + port();
    }

    public String transportName() {
        return netty.transportName();
    }

    public ServerContext context() {
        return netty.context();
    }

    /** The server's metrics: counters, latency recorders and the Prometheus exposition. */
    public ServerMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        CloseHelper.closeAll(netty, store, accounts, metrics);
    }
}
