package io.switchboard.jmh.router;

import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.journal.Journals;
import io.switchboard.core.metrics.ServerMetrics;
import io.switchboard.core.owner.MemoryMessageStore;
import io.switchboard.core.owner.PushTrigger;
import io.switchboard.core.protocol.BinaryFrameEncoder;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.router.ConnectionRef;
import io.switchboard.core.router.sharded.ShardedRouter;
import io.switchboard.jmh.BenchmarkBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.agrona.CloseHelper;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Question: what does one group message cost the server from its {@code send} to the sender's aggregated
 * {@code delivered} receipt — one stored copy, a queue entry for every other member device, every {@code msg}, every
 * {@code recv}, the delivery list — with {@code router.fanout: single-copy} (every member device's entry shares the
 * one body, the journal holds the body once) against {@code per-member} (a copy of the body per member device, in
 * memory and in the journal), for groups of 8, 256 and 1,024, with the journal on ({@code chronicle}) and off?
 *
 * <p>The real sharded router (two shards) and session tables run without sockets: the benchmark thread plays the I/O
 * loop that owns every member's connection (it runs the outbox drains the shards submit, reads the frames they
 * encoded, and answers every msg with a recv). Score: ns per group message; divide by size − 1 for a member delivery.
 */
@State(Scope.Thread)
public class GroupFanoutBenchmark extends BenchmarkBase {
    private static final String SOURCE = "GroupFanoutBenchmark";
    private static final String GROUP = "bench";
    private static final int DEVICE = 1;
    private static final long SENDER = 1;
    private static final int BODY_BYTES = 100;
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    @Param({"single-copy", "per-member"})
    String fanout;

    @Param({"8", "256", "1024"})
    int groupSize;

    @Param({"memory", "chronicle"})
    String journal;

    private Path dataDir;
    private ServerMetrics metrics;
    private Journals journals;
    private MemoryMessageStore store;
    private ShardedRouter router;
    private IdleStrategy idle;
    private final FanoutOutbound out = new FanoutOutbound();
    private BenchLoop loop;
    private final Frame frame = new Frame();
    private final BinaryFrameEncoder encoder = new BinaryFrameEncoder();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(64 * 1024);
    private final UnsafeBuffer text = new UnsafeBuffer(0, 0);
    private long nextId;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dataDir = Files.createTempDirectory("group-fanout");
        ServerContext context = ServerContext.conclude(Settings.empty()
                .with("server.data", dataDir, SOURCE)
                .with("router.shards", 2, SOURCE)
                .with("router.fanout", fanout, SOURCE)
                .with("journal.type", journal, SOURCE));
        metrics = new ServerMetrics(context.metrics().enabled(), "sharded");
        journals = new Journals(context.journal(), dataDir, "sharded");
        store = MemoryMessageStore.from(context.router());
        loop = new BenchLoop(out, metrics.newLoopCounters("0"));
        idle = context.router().idleStrategy().newStrategy();
        router = new ShardedRouter(
                context.router(), user -> 1L << DEVICE, store, List.of(loop), metrics, journals, PushTrigger.NONE);
        router.start();
        frame.reset(FrameType.GROUP_CREATE).req(1).group(GROUP);
        for (long user = SENDER; user < SENDER + groupSize; user++) {
            router.open(user, DEVICE, connectionOf(user), false);
            if (user != SENDER) {
                frame.addMember(user);
            }
        }
        control(frame);
        awaitLoop(() -> out.results > 0, "the group's creation");
        frame.reset(FrameType.SEND).toGroup(GROUP).addEnvelope(0, EnvelopeType.SKMSG, new byte[BODY_BYTES]);
        // One message before measuring: every session is open and the group exists on every shard's path.
        groupMessage();
    }

    private static long connectionOf(long user) {
        return ConnectionRef.of(user, 0);
    }

    private static long userOf(long connection) {
        return connection >>> ConnectionRef.LOOP_BITS;
    }

    /** Hands a frame to the router as the sender's I/O thread does: the decoded frame and its sb.bin.v1 bytes. */
    private void control(Frame command) {
        int length = encoder.encode(command, scratch, 0);
        text.wrap(scratch, 0, length);
        while (!router.control(SENDER, DEVICE, connectionOf(SENDER), command, text, System.nanoTime())) {
            idle.idle(runLoop());
        }
    }

    @Benchmark
    public long groupMessage() {
        long wanted = out.delivered + 1;
        frame.id(++nextId);
        control(frame);
        awaitLoop(() -> out.delivered >= wanted, "the delivered receipt of " + nextId);
        return out.acks;
    }

    private void awaitLoop(BooleanSupplier done, String what) {
        long deadlineNs = System.nanoTime() + TIMEOUT_NS;
        while (!done.getAsBoolean()) {
            idle.idle(runLoop());
            if (System.nanoTime() - deadlineNs > 0) {
                throw new IllegalStateException("no " + what + " within 30 s");
            }
        }
        idle.reset();
    }

    /** One pass of the I/O loop: outbox drains, then a recv for every msg they delivered. */
    private int runLoop() {
        int work = loop.runTasks();
        for (int i = 0; i < out.seqs.size(); i++) {
            long user = userOf(out.connections.getLong(i));
            while (!router.recv(user, DEVICE, out.seqs.getLong(i))) {
                loop.runTasks();
            }
            work++;
        }
        out.connections.clear();
        out.seqs.clear();
        return work;
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        CloseHelper.closeAll(router, journals, store, metrics);
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        }
    }
}
