package io.switchboard.core.server;

import io.micrometer.core.instrument.Tags;
import io.switchboard.core.accounts.AccountStore;
import io.switchboard.core.config.Routing;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.journal.Journals;
import io.switchboard.core.keys.KeyStore;
import io.switchboard.core.media.MediaService;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.owner.DeviceDirectory;
import io.switchboard.core.owner.HeldVisitor;
import io.switchboard.core.owner.MemoryMessageStore;
import io.switchboard.core.owner.MessageStore;
import io.switchboard.core.owner.PushTrigger;
import io.switchboard.core.push.PushService;
import io.switchboard.core.router.EmbeddedLoop;
import io.switchboard.core.router.Router;
import io.switchboard.core.router.locked.LockedRouter;
import io.switchboard.core.router.sharded.CeilingRouter;
import io.switchboard.core.router.sharded.ShardedRouter;
import io.switchboard.core.transport.NettyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import org.agrona.CloseHelper;
import org.agrona.concurrent.SystemEpochClock;

/**
 * The whole chat server and its composition root: it opens the accounts, the keys, the message store, the metrics,
 * the journals, the media store and the push service, picks the routing variant, and hands it to the network; all are
 * started and stopped together.
 */
public final class SwitchboardServer implements AutoCloseable {
    private final AccountStore accounts;
    private final KeyStore keys;
    private final MessageStore store;
    private final NettyServer netty;
    private final ServerMetrics metrics;
    private final Journals journals;
    private final Router router;
    private final MediaService media;
    private final PushService push;

    private SwitchboardServer(
            AccountStore accounts,
            KeyStore keys,
            MessageStore store,
            NettyServer netty,
            ServerMetrics metrics,
            Journals journals,
            Router router,
            MediaService media,
            PushService push) {
        this.accounts = accounts;
        this.media = media;
        this.push = push;
        this.keys = keys;
        this.router = router;
        this.store = store;
        this.netty = netty;
        this.metrics = metrics;
        this.journals = journals;
    }

    /** Opens the data directory, starts the router threads and binds the port. */
    public static SwitchboardServer start(ServerContext context) throws InterruptedException {
        return start(context, null);
    }

    /**
     * As {@link #start(ServerContext)}, with one more I/O loop, {@code embedded}, whose connections the embedding
     * program serves on its own thread through {@link #router()}; sharded routing only ({@link EmbeddedLoop}).
     */
    public static SwitchboardServer start(ServerContext context, EmbeddedLoop embedded) throws InterruptedException {
        if (embedded != null && context.router().routing() == Routing.LOCKED) {
            throw new IllegalArgumentException("an embedded I/O loop needs sharded routing, not locked: locked routing"
                    + " writes to connections from whichever thread holds a stripe's lock, and an embedded loop's"
                    + " connections take frames on their own thread only");
        }
        if (embedded == null && context.router().routing() == Routing.CEILING) {
            throw new IllegalArgumentException(
                    "router.routing ceiling is the simulator's measuring stick, not a server:"
                            + " it keeps no queue, receipts or checks, and runs only under its direct transport");
        }
        AccountStore accounts = AccountStore.open(
                context.accounts().dataDir(),
                context.accounts().linkCodeExpiryMs(),
                context.accounts().maxAccounts(),
                SystemEpochClock.INSTANCE);
        MessageStore store = MemoryMessageStore.from(context.router());
        ServerMetrics metrics = new ServerMetrics(
                context.metrics().enabled(), context.router().routing().configName());
        long maxAccounts = context.accounts().maxAccounts();
        metrics.gauge("accounts", "accounts the server holds", Tags.empty(), accounts::accountCount);
        metrics.gauge("accounts.max", "the most accounts the server holds", Tags.empty(), () -> maxAccounts);
        metrics.gauge(
                "queued.bytes.budget.used",
                "bytes taken from router.maxQueuedBytes: queued, or reserved for group messages on their way to queues",
                Tags.empty(),
                store::queuedBytes);
        metrics.gauge(
                "queued.bytes.heap.bodies",
                "message bodies held on the heap (queued one-to-one bodies, stored group copies), within router.maxHeapBodyBytes; the rest wait in the journal",
                Tags.empty(),
                store::heapBodyBytes);
        metrics.gauge(
                "queued.bytes.budget.max",
                "router.maxQueuedBytes",
                Tags.empty(),
                () -> context.router().maxQueuedBytes());
        Journals journals = null;
        MediaService media = null;
        PushService push = null;
        KeyStore keys = null;
        try {
            keys = KeyStore.open(context.accounts().dataDir(), context.keys(), accounts::deviceMask);
            journals = new Journals(context.journal(), context.accounts().dataDir(), layout(context));
            media = new MediaService(
                    context.media(),
                    MediaService.openStore(context.media(), context.accounts().dataDir()),
                    metrics,
                    SystemEpochClock.INSTANCE);
            push = PushService.start(context.push(), accounts.pushes(), metrics.registry());
            Journals opened = journals;
            PushTrigger trigger = push.trigger();
            Router[] built = new Router[1];
            NettyServer netty = NettyServer.start(
                    context,
                    accounts,
                    keys,
                    metrics,
                    media,
                    embedded,
                    wiring -> built[0] = router(context, accounts, store, metrics, opened, trigger, wiring));
            return new SwitchboardServer(accounts, keys, store, netty, metrics, journals, built[0], media, push);
        } catch (RuntimeException | InterruptedException e) {
            CloseHelper.closeAll(push, media, journals, metrics, store, keys, accounts);
            throw e;
        } catch (IOException e) {
            CloseHelper.closeAll(push, media, journals, metrics, store, keys, accounts);
            throw new UncheckedIOException("cannot open the media store: " + e.getMessage(), e);
        }
    }

    /** The routing variant the context names, on the transport's I/O loops or its writer to any connection. */
    private static Router router(
            ServerContext context,
            AccountStore accounts,
            MessageStore store,
            ServerMetrics metrics,
            Journals journals,
            PushTrigger push,
            NettyServer.Wiring wiring) {
        DeviceDirectory directory = new DeviceDirectory() {
            @Override
            public long deviceMask(long user) {
                return accounts.deviceMask(user);
            }

            @Override
            public boolean acceptsGroupAdd(long user, long adder) {
                return accounts.privacy().acceptsGroupAdd(user, adder);
            }
        };
        return switch (context.router().routing()) {
            case LOCKED ->
                new LockedRouter(context.router(), directory, store, wiring.channelWriters(), metrics, journals, push);
            case CEILING -> new CeilingRouter(context.router(), wiring.loops(), metrics, journals);
            case SHARDED ->
                new ShardedRouter(context.router(), directory, store, wiring.loops(), metrics, journals, push);
        };
    }

    /** Journals are per owner of user state, so the routing and the number of owners name their layout. */
    private static String layout(ServerContext context) {
        return context.router().routing() == Routing.LOCKED
                ? "locked"
                : context.router().routing().configName() + "-"
                        + context.router().shards();
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

    /**
     * The router the I/O loops hand commands to: for the thread of an {@link EmbeddedLoop}, which hands its own
     * connections' commands to it as {@link Router} says (on that thread, in each connection's order).
     */
    public Router router() {
        return router;
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

    /** Push for devices without a session; its {@link PushService#sim()} is the simulator's way to wake them. */
    public PushService push() {
        return push;
    }

    @Override
    public void close() {
        CloseHelper.closeAll(netty, push, media, journals, store, keys, accounts, metrics);
    }
}
