package io.switchboard.jmh.router;

import io.switchboard.core.config.Routing;
import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.journal.Journals;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.owner.MemoryMessageStore;
import io.switchboard.core.owner.PushTrigger;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.router.ConnectionRef;
import io.switchboard.core.router.Router;
import io.switchboard.core.router.locked.LockedRouter;
import io.switchboard.core.router.sharded.ShardedRouter;
import io.switchboard.jmh.BenchmarkBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.CloseHelper;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.IdleStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Question: what does one whole message cycle cost in the router, send → msg → recv → delivered receipt (plus the
 * sender's ack), with {@code sharded} routing (commands through Agrona rings to shard threads, frames back through the
 * loop's outbox) against {@code locked} (the same session logic under striped locks on the calling thread)? And what
 * does it add when the sender and the recipient live on different shards (the receipt crosses the peer ring)?
 *
 * <p>The real routers and session tables run with two shards, the in-memory journal and no sockets: the benchmark
 * thread plays the I/O loop that owns both connections (it sends, runs the outbox drains the shards submit, and
 * answers every msg with a recv), idling with the shards' idle strategy while it waits. {@code oneInFlight} is the
 * latency of a lone message; {@code burstOf64} sends 64 before waiting, as a busy connection does. Scores are ns per
 * message. For {@code locked} the placement only picks different users: it has no shards, and everything runs on the
 * calling thread.
 */
@State(Scope.Thread)
public class RouterCycleBenchmark extends BenchmarkBase {
    private static final String SOURCE = "RouterCycleBenchmark";
    private static final int SHARDS = 2;
    private static final int DEVICE = 1;
    private static final long DEVICE_MASK = 1L << DEVICE;
    private static final long SENDER = 1;
    private static final long SENDER_CONNECTION = ConnectionRef.of(1, 0);
    private static final long RECIPIENT_CONNECTION = ConnectionRef.of(2, 0);
    private static final int BODY_BYTES = 100;
    private static final long CYCLE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    @Param({"sharded", "locked"})
    String routing;

    @Param({"same-shard", "cross-shard"})
    String placement;

    private Path dataDir;
    private ServerMetrics metrics;
    private Journals journals;
    private MemoryMessageStore store;
    private Router router;
    private IdleStrategy idle;
    private final CycleOutbound out = new CycleOutbound();
    private BenchLoop loop;
    private final Frame send = new Frame();
    private long recipient;
    private long nextId;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dataDir = Files.createTempDirectory("router-cycle");
        ServerContext context = ServerContext.conclude(Settings.empty()
                .with("server.data", dataDir, SOURCE)
                .with("router.routing", routing, SOURCE)
                .with("router.shards", SHARDS, SOURCE)
                .with("journal.type", "memory", SOURCE));
        metrics = new ServerMetrics(context.metrics().enabled(), routing);
        journals = new Journals(context.journal(), dataDir, routing);
        store = MemoryMessageStore.from(context.router());
        loop = new BenchLoop(out, metrics.newLoopCounters("0"));
        idle = context.router().idleStrategy().newStrategy();
        router = context.router().routing() == Routing.LOCKED
                ? new LockedRouter(
                        context.router(), user -> DEVICE_MASK, store, () -> out, metrics, journals, PushTrigger.NONE)
                : new ShardedRouter(
                        context.router(),
                        user -> DEVICE_MASK,
                        store,
                        List.of(loop),
                        metrics,
                        journals,
                        PushTrigger.NONE);
        router.start();
        recipient = recipientFor(placement);
        send.reset(FrameType.SEND).toUser(recipient).addEnvelope(DEVICE, EnvelopeType.MSG, new byte[BODY_BYTES]);
        router.open(SENDER, DEVICE, SENDER_CONNECTION, false);
        router.open(recipient, DEVICE, RECIPIENT_CONNECTION, false);
        // One cycle before measuring: both sessions are open on their shards once a receipt has come back.
        cycle(1);
    }

    private static long recipientFor(String placement) {
        boolean sameShard = switch (placement) {
            case "same-shard" -> true;
            case "cross-shard" -> false;
            default -> throw new IllegalArgumentException("unknown placement " + placement);
        };
        int senderShard = ShardedRouter.shardOf(SENDER, SHARDS);
        long user = SENDER + 1;
        while ((ShardedRouter.shardOf(user, SHARDS) == senderShard) != sameShard) {
            user++;
        }
        return user;
    }

    @Benchmark
    public long oneInFlight() {
        return cycle(1);
    }

    @Benchmark
    @OperationsPerInvocation(64)
    public long burstOf64() {
        return cycle(64);
    }

    /** Sends {@code messages} and runs the loop until each one's delivered receipt is back. */
    private long cycle(int messages) {
        long receiptsWanted = out.receipts + messages;
        for (int i = 0; i < messages; i++) {
            send.id(++nextId);
            while (!router.send(SENDER, DEVICE, SENDER_CONNECTION, send, System.nanoTime())) {
                idle.idle(runLoop());
            }
        }
        long deadlineNs = System.nanoTime() + CYCLE_TIMEOUT_NS;
        while (out.receipts < receiptsWanted) {
            idle.idle(runLoop());
            if (System.nanoTime() - deadlineNs > 0) {
                throw new IllegalStateException("no receipt within 10 s: " + out.receipts + " of " + receiptsWanted);
            }
        }
        idle.reset();
        return out.acks;
    }

    /** One pass of the I/O loop: outbox drains, then a recv for every msg they delivered. */
    private int runLoop() {
        int work = loop.runTasks();
        LongArrayList seqs = out.toAcknowledge;
        // recv may deliver more msgs (a freed delivery window), which land at the end of this list and are answered
        // too.
        for (int i = 0; i < seqs.size(); i++) {
            while (!router.recv(recipient, DEVICE, seqs.getLong(i))) {
                loop.runTasks();
            }
            work++;
        }
        seqs.clear();
        return work;
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        CloseHelper.closeAll(router, journals, store, metrics);
        Files.deleteIfExists(dataDir);
    }
}
