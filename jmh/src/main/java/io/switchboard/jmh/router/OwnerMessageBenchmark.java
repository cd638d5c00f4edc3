package io.switchboard.jmh.router;

import io.switchboard.core.config.ServerContext;
import io.switchboard.core.config.Settings;
import io.switchboard.core.journal.Journal;
import io.switchboard.core.journal.Journals;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.MemoryMessageStore;
import io.switchboard.core.owner.MsgView;
import io.switchboard.core.owner.Owner;
import io.switchboard.core.owner.OwnerRules;
import io.switchboard.core.owner.OwnerWiring;
import io.switchboard.core.owner.PushTrigger;
import io.switchboard.core.owner.SoloPeers;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.jmh.BenchmarkBase;
import io.switchboard.jmh.DiscardingOutbound;
import io.switchboard.jmh.FixedSend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.agrona.concurrent.CachedEpochClock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Question: what does one shard's owner spend on a one-to-one message when its users are many, so that their state is
 * out of the cache, every message is journaled to a real Chronicle queue ({@code durability: all}) and stays unread
 * past the owner's unread budget, as in {@code throughput-ceiling.yaml} on {@code direct}? That is the shards' part of
 * that figure without their threads, rings and clients, measured on one thread where a run's host drift and refusals
 * do not move it.
 *
 * <p>The journal is opened as a shard's is ({@link Journals}: blocks reserved and pages touched ahead of the writer on
 * a thread of their own). Each operation is one message between random users, all online on this owner: accepted and
 * journaled, its ack, written to the recipient, acknowledged by it (a {@code recv}) and the sender's {@code delivered}
 * receipt written. The recipients acknowledge in rounds of {@value #ROUND} messages, so that records come back to the
 * owner's pool as a busy shard's do; each round ends with the owner's end of batch (its batched journal records), and
 * the ACCEPTED records go {@code acceptedPerDocument} to a journal document.
 * The owner's unread budget is what a shard of two gets by default from the fork's heap ({@code router.maxUnreadBytes},
 * a sixteenth of it); the warm-up fills it, so that what is measured is the steady state, every message forgetting the
 * oldest unread one. Score: ns per message.
 */
@State(Scope.Thread)
public class OwnerMessageBenchmark extends BenchmarkBase {
    private static final String SOURCE = "OwnerMessageBenchmark";
    private static final int ROUND = 1_000;
    private static final int DEVICE = 1;
    private static final int BODY_BYTES = 100;

    @Param({"2000"})
    int users;

    /**
     * ACCEPTED records the journal writes to a document before it completes it ({@link Journal#acceptInBatches()}): 1
     * is a document per record, as before batches; a shard completes its batch whenever it hands frames or work on.
     */
    @Param({"1", "4", "16"})
    int acceptedPerDocument;

    private Journal journal;

    private Path dataDir;
    private Journals journals;
    private Owner owner;
    private final CachedEpochClock clock = new CachedEpochClock();
    private final Acknowledging out = new Acknowledging();
    private final FixedSend send = new FixedSend(BODY_BYTES);
    private final SplittableRandom random = new SplittableRandom(7);
    /** By user: the id of its last send. */
    private long[] lastId;

    @Setup(Level.Trial)
    public void start() throws IOException {
        dataDir = Files.createTempDirectory("owner-message");
        ServerContext context = ServerContext.conclude(Settings.empty()
                .with("server.data", dataDir, SOURCE)
                .with("router.shards", 2, SOURCE)
                .with("journal.durability", "all", SOURCE));
        clock.update(System.currentTimeMillis());
        journals = new Journals(context.journal(), dataDir, "sharded-2");
        CounterSet<ShardCounter> counters = CounterSet.standalone(SOURCE, ShardCounter.class);
        journal = journals.open("shard-0", counters, clock::time);
        journal.acknowledgeInBatches();
        journal.acceptInBatches();
        owner = new Owner(
                OwnerRules.from(context.router(), context.journal(), 2),
                new OwnerWiring(
                        user -> 1L << DEVICE,
                        MemoryMessageStore.from(context.router()),
                        out,
                        (senderUser, senderDevice, id, recipient, kind, ts, group) ->
                                owner.receipt(senderUser, senderDevice, id, recipient, kind, ts, group),
                        clock,
                        counters,
                        journal,
                        SoloPeers.INSTANCE,
                        PushTrigger.NONE));
        owner.recover();
        lastId = new long[users + 1];
        out.start(users);
        for (int user = 1; user <= users; user++) {
            owner.open(user, DEVICE, user, false);
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        journals.close();
        deleteDirectory(dataDir);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND)
    public long round() {
        clock.update(System.currentTimeMillis());
        for (int i = 0; i < ROUND; i++) {
            int sender = 1 + random.nextInt(users);
            int recipient = 1 + random.nextInt(users - 1);
            send.senderUser = sender;
            send.senderConnection = sender;
            send.id = ++lastId[sender];
            send.toUser = recipient < sender ? recipient : recipient + 1;
            owner.send(send);
            if ((i + 1) % acceptedPerDocument == 0) {
                journal.completeAccepted();
            }
        }
        out.acknowledgeAll(owner);
        owner.endOfBatch();
        return out.delivered;
    }

    /** What the owner writes: counted; each message's seq kept, for its recipient to acknowledge. */
    private static final class Acknowledging extends DiscardingOutbound {
        long delivered;
        /** By user (its connection is its id): the last seq its device acknowledged. */
        private long[] acked;
        /** By user: the last seq its device was written. */
        private long[] written;
        /** Users written to since the last round's acknowledgements, each once, {@code pendingCount} of them. */
        private int[] pending;

        private int pendingCount;

        void start(int users) {
            acked = new long[users + 1];
            written = new long[users + 1];
            pending = new int[users];
        }

        void acknowledgeAll(Owner owner) {
            for (int i = 0; i < pendingCount; i++) {
                int user = pending[i];
                // Seqs count up per device; a recv may write the device more, acknowledged in the same pass.
                while (acked[user] < written[user]) {
                    owner.recv(user, DEVICE, ++acked[user]);
                }
            }
            pendingCount = 0;
        }

        @Override
        public void msg(long connection, MsgView msg) {
            int user = (int) connection;
            // Nothing outstanding yet this round: listed once, so at most one place per user.
            if (written[user] == acked[user]) {
                pending[pendingCount++] = user;
            }
            written[user] = msg.seq();
            delivered++;
        }

        @Override
        public void error(long connection, ErrorCode code, long id, String message, long missing, long extra) {
            throw new IllegalStateException("the owner refused a send: " + code + " " + message);
        }
    }
}
