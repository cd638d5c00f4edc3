package io.switchboard.jmh.journal;

import io.switchboard.core.config.Fanout;
import io.switchboard.core.config.JournalContext;
import io.switchboard.core.config.RateLimit;
import io.switchboard.core.config.RouterContext;
import io.switchboard.core.journal.ChronicleJournal;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.MemoryMessageStore;
import io.switchboard.core.owner.Outbound;
import io.switchboard.core.owner.Owner;
import io.switchboard.core.owner.OwnerRules;
import io.switchboard.core.owner.OwnerWiring;
import io.switchboard.core.owner.PushTrigger;
import io.switchboard.core.owner.SoloPeers;
import io.switchboard.jmh.BenchmarkBase;
import io.switchboard.jmh.DiscardingOutbound;
import io.switchboard.jmh.FixedSend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycles;
import org.agrona.concurrent.SystemEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: how long does a shard take to come back after a crash, with N journaled messages of which half were
 * acknowledged? Each iteration replays the whole journal into a fresh session table (one shard's work at start), and
 * setup prints the journal's bytes per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class JournalRecoveryBenchmark extends BenchmarkBase {
    private static final int USERS = 10_000;
    private static final int BODY_BYTES = 100;

    @Param({"1000000", "10000000"})
    int messages;

    private Path directory;
    private ChronicleJournal journal;

    @Setup(Level.Trial)
    public void write() throws IOException {
        directory = Files.createTempDirectory("journal-recovery");
        journal = ChronicleJournal.open(directory, RollCycles.FAST_HOURLY);
        FixedSend send = new FixedSend(BODY_BYTES);
        long[] seqs = new long[1];
        long[] nextSeq = new long[USERS + 1];
        for (int i = 0; i < messages; i++) {
            send.senderUser = 1 + (i % USERS);
            send.toUser = 1 + ((i * 7919L) % USERS);
            send.id = i + 1;
            seqs[0] = ++nextSeq[(int) send.toUser];
            int cycle = journal.accepted(send, System.currentTimeMillis(), seqs);
            if ((i & 1) == 0) {
                journal.acknowledged(send.toUser, 1, seqs[0], cycle);
            }
        }
        long bytes;
        try (Stream<Path> files = Files.walk(directory)) {
            bytes = files.filter(Files::isRegularFile)
                    .mapToLong(path -> path.toFile().length())
                    .sum();
        }
        System.out.printf(
                "%n[journal] %,d messages (%d-byte bodies), %,d acknowledged: %,d bytes on disk, %.1f bytes/message%n",
                messages, BODY_BYTES, (messages + 1) / 2, bytes, (double) bytes / messages);
    }

    @Benchmark
    public Owner recover() {
        Owner table = new Owner(
                new OwnerRules(
                        256,
                        1000,
                        RouterContext.MAX_UNREAD_PER_USER_DEFAULT,
                        Integer.MAX_VALUE / 4,
                        JournalContext.Durability.ALL,
                        RouterContext.HEAP_BODIES_DEFAULT,
                        Long.MAX_VALUE / 2,
                        Fanout.SINGLE_COPY,
                        RouterContext.MAX_GROUP_MEMBERS_DEFAULT,
                        RouterContext.MAX_GROUPS_PER_USER_DEFAULT,
                        RateLimit.OFF,
                        RouterContext.GROUP_INVITE_EXPIRY_MS_DEFAULT),
                new OwnerWiring(
                        user -> 2L,
                        new MemoryMessageStore(
                                Integer.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4),
                        NO_OUTPUT,
                        (senderUser, senderDevice, id, recipient, kind, ts, group) -> {},
                        SystemEpochClock.INSTANCE,
                        CounterSet.standalone("recovery", ShardCounter.class),
                        journal,
                        SoloPeers.INSTANCE,
                        PushTrigger.NONE));
        table.recover();
        return table;
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        journal.close();
        deleteDirectory(directory);
    }

    /** Replay sends nothing; a table still needs somewhere to write. */
    private static final Outbound NO_OUTPUT = new DiscardingOutbound();
}
