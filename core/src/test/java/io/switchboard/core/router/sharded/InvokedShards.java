package io.switchboard.core.router.sharded;

import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.journal.Journals;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.owner.DeviceDirectory;
import io.switchboard.core.owner.MemoryMessageStore;
import io.switchboard.core.owner.PushTrigger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.agrona.concurrent.AgentInvoker;

/**
 * A sharded router whose shards do not run on threads of their own: the test steps each one through its
 * {@link AgentInvoker}, with one {@link SteppedLoop} as the only I/O loop and, unless a test asks for one, no journal.
 * Every user has device 1.
 */
final class InvokedShards implements AutoCloseable {
    static final int DEVICE = 1;
    private static final String SOURCE = "InvokedShards";

    /** The first of {@link #loops}. */
    final SteppedLoop loop;

    final List<SteppedLoop> loops;
    final ShardedRouter router;
    final ServerMetrics metrics;
    final Journals journals;
    private final int shards;

    InvokedShards(int shards, int mailboxTasks) {
        this(shards, mailboxTasks, user -> 1L << DEVICE);
    }

    /** Shards whose users have the devices {@code directory} says. */
    InvokedShards(int shards, int mailboxTasks, DeviceDirectory directory) {
        this(shards, mailboxTasks, directory, Map.of());
    }

    /**
     * Shards whose users have the devices {@code directory} says, with {@code settings} over the defaults. A send may
     * wait a minute in the inbox by default: a test steps the shards in its own time.
     */
    InvokedShards(int shards, int mailboxTasks, DeviceDirectory directory, Map<String, Object> settings) {
        this(shards, 1, mailboxTasks, directory, settings);
    }

    /** As above, with {@code loops} I/O loops. */
    InvokedShards(int shards, int loops, int mailboxTasks, DeviceDirectory directory, Map<String, Object> settings) {
        this(shards, loops, mailboxTasks, directory, settings, Path.of("no-journal"));
    }

    /**
     * As above, with the data directory of a journal that {@code settings} asks for ({@code journal.type:
     * chronicle}): each shard's is in {@link #journals}' directory of {@code shard-N}.
     */
    InvokedShards(
            int shards,
            int loops,
            int mailboxTasks,
            DeviceDirectory directory,
            Map<String, Object> settings,
            Path dataDir) {
        this.shards = shards;
        this.loops = IntStream.range(0, loops).mapToObj(SteppedLoop::new).toList();
        this.loop = this.loops.get(0);
        Settings all = Settings.empty()
                .with("router.shards", shards, SOURCE)
                .with("router.inboxBytes", "256k", SOURCE)
                .with("router.outboxBytes", "1m", SOURCE)
                .with("router.peerInboxBytes", "4k", SOURCE)
                .with("router.maxSendWaitMs", 60_000, SOURCE)
                .with("transport.maxFrameBytes", 7 * 1024, SOURCE)
                .with("journal.type", "memory", SOURCE)
                .with("metrics.enabled", false, SOURCE);
        settings.forEach((key, value) -> all.with(key, value, SOURCE));
        ServerContext context = ServerContext.conclude(all);
        metrics = new ServerMetrics(context.metrics().enabled(), "sharded");
        journals = new Journals(context.journal(), dataDir, "sharded-" + shards);
        router = new ShardedRouter(
                context.router(),
                directory,
                MemoryMessageStore.from(context.router()),
                List.copyOf(this.loops),
                metrics,
                journals,
                PushTrigger.NONE,
                mailboxTasks,
                true);
        router.start();
    }

    ShardAgent agent(int shard) {
        return router.agent(shard);
    }

    AgentInvoker invoker(int shard) {
        return router.invoker(shard);
    }

    /** The {@code n}th user (from 0) that shard {@code shard} owns. */
    long user(int shard, int n) {
        for (long user = 1; ; user++) {
            if (ShardedRouter.shardOf(user, shards) == shard && n-- == 0) {
                return user;
            }
        }
    }

    @Override
    public void close() {
        router.close();
        metrics.close();
    }
}
