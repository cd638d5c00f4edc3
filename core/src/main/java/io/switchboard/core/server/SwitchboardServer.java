package io.switchboard.core.server;

import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.config.Routing;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.journal.Journals;
import io.switchboard.core.keys.KeyStore;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.owner.HeldVisitor;
import io.switchboard.core.owner.MemoryMessageStore;
import io.switchboard.core.owner.MessageStore;
import io.switchboard.core.router.Router;
import io.switchboard.core.router.locked.LockedRouter;
import io.switchboard.core.router.sharded.ShardedRouter;
import io.switchboard.core.transport.NettyServer;
import java.util.function.Supplier;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemEpochClock;

/**
 * The whole chat server and its composition root: it opens the accounts, the keys, the message store, the metrics and
 * the journals, picks the routing variant, and hands it to the network; all are started and stopped together.
 */
public final class SwitchboardServer implements AutoCloseable {
    private final AccountStore accounts;
    private final KeyStore keys;
    private final MessageStore store;
    private final NettyServer netty;
    private final ServerMetrics metrics;
    private final Journals journals;
    private final Router router;

    private SwitchboardServer(
            AccountStore accounts,
            KeyStore keys,
            MessageStore store,
            NettyServer netty,
            ServerMetrics metrics,
            Journals journals,
            Router router) {
        this.accounts = accounts;
        this.keys = keys;
        this.router = router;
        this.store = store;
        this.netty = netty;
        this.metrics = metrics;
        this.journals = journals;
    }

    /** Opens the data directory, starts the router threads and binds the port. */
    public static SwitchboardServer start(ServerContext context) throws InterruptedException {
        AccountStore accounts = AccountStore.open(
                context.accounts().dataDir(), context.accounts().linkCodeExpiryMs(), SystemEpochClock.INSTANCE);
        MessageStore store = new MemoryMessageStore(context.router().maxQueuedPerDevice());
        ServerMetrics metrics = new ServerMetrics(
                context.metrics().enabled(), context.router().routing().configName());
        Journals journals = null;
        KeyStore keys = null;
        try {
            keys = KeyStore.open(context.accounts().dataDir(), context.keys(), accounts::deviceMask);
            journals = new Journals(context.journal(), context.accounts().dataDir(), layout(context));
            Journals opened = journals;
            Router[] built = new Router[1];
            NettyServer netty = NettyServer.start(
                    context,
                    accounts,
                    keys,
                    metrics,
                    wiring -> built[0] = router(context, accounts, store, metrics, opened, wiring));
            return new SwitchboardServer(accounts, keys, store, netty, metrics, journals, built[0]);
        } catch (RuntimeException | InterruptedException e) {
            CloseHelper.closeAll(journals, metrics, store, keys, accounts);
            throw e;
        }
    }

    /** The routing variant the context names, on the transport's I/O loops or its writer to any connection. */
    private static Router router(
            ServerContext context,
            AccountStore accounts,
            MessageStore store,
            ServerMetrics metrics,
            Journals journals,
            NettyServer.Wiring wiring) {
        return context.router().routing() == Routing.LOCKED
                ? new LockedRouter(
                        context.router(), accounts::deviceMask, store, wiring.channelWriters(), metrics, journals)
                : new ShardedRouter(context.router(), accounts::deviceMask, store, wiring.loops(), metrics, journals);
    }

    /** Journals are per owner of user state, so the routing and the number of owners name their layout. */
    private static String layout(ServerContext context) {
        return context.router().routing() == Routing.LOCKED
                ? "locked"
                : "sharded-" + context.router().shards();
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

    /** Where {@code /metrics} and {@code /dashboard} are served: the admin address, or {@link #httpUrl()}. */
    public String adminUrl() {
        int admin = netty.adminPort();
        return admin < 0 ? httpUrl() : "http://" + netty.context().transport().adminHost() + ":" + admin;
    }

    /** The registered accounts: an embedded server's owner may preload them ({@link AccountStore#registerAll}). */
    public AccountStore accounts() {
        return accounts;
    }

    /** The in-process listener: needs {@code transport.inProcess}. */
    public NettyServer transport() {
        return netty;
    }

    public String transportName() {
        return netty.transportName();
    }

    /** The server's metrics: counters, latency recorders and the Prometheus exposition. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /**
     * What the owners of user state still hold: every queued message and unacknowledged receipt, told to one visitor
     * per owner on that owner's terms ({@link Router#visitHeld}). For an embedded server's owner at the end of a run.
     */
    public void visitHeld(Supplier<? extends HeldVisitor> visitors, long timeoutMs) throws InterruptedException {
        router.visitHeld(visitors, timeoutMs);
    }

    @Override
    public void close() {
        CloseHelper.closeAll(netty, journals, store, keys, accounts, metrics);
    }
}
