package io.switchboard.core.router.sharded;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.RecordingOutbound;
import io.switchboard.core.owner.TestMsg;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.router.ConnectionRef;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.junit.jupiter.api.Test;

/**
 * An I/O loop's {@link Outbox}, its tasks run by hand ({@link SteppedLoop}): however often shards wake it, one drain is
 * submitted until that drain starts; a drain comes back for a record that a shard had claimed but not yet committed
 * when it ran; records that wrap around the end of the ring are written in one drain, with one flush; and each shard's
 * ring gets its share of a drain, so that one shard's backlog does not hold back another's frames.
 */
class OutboxTest {
    private static final long CONNECTION = ConnectionRef.of(7, 0);
    private static final int RING_BYTES = 1024;

    private final SteppedLoop loop = new SteppedLoop();
    private final Outbox outbox = new Outbox(loop, 1, RING_BYTES);
    private final OutboxWriter writer = new OutboxWriter(
            new Outbox[] {outbox},
            0,
            RING_BYTES,
            new BackoffIdleStrategy(1, 1, 1_000, 100_000),
            CounterSet.standalone("shard", ShardCounter.class));

    @Test
    void shouldLetAShardSignalALoopThatStoppedFirstAtShutdown() {
        writer.ack(CONNECTION, 1, 0);
        loop.stopped = true;

        writer.signal(); // before: the loop's RejectedExecutionException ended the shard's duty cycle with a stack
        // trace

        assertThat(loop.tasks).isEmpty();
    }

    @Test
    void shouldSubmitOneDrainForEveryWakeBeforeItStartsAndAnotherForAWakeAfter() {
        writer.ack(CONNECTION, 1, 0);
        outbox.wake(); // one shard
        outbox.wake(); // another, before the loop got to the drain
        outbox.wake();
        assertThat(loop.tasks).as("drains submitted").hasSize(1);

        loop.tasks.remove().run();
        writer.ack(CONNECTION, 2, 0);
        outbox.wake();

        assertThat(loop.tasks)
                .as("a wake after the drain started submits again")
                .hasSize(1);
        assertThat(loop.runTasks()).isEqualTo(1);
        assertThat(loop.recorder.take())
                .containsExactly(
                        new RecordingOutbound.Ack(CONNECTION, 1, 0), new RecordingOutbound.Ack(CONNECTION, 2, 0));
    }

    @Test
    void shouldComeBackForARecordAShardClaimedButHadNotCommittedWhenTheDrainRan() {
        writer.ack(CONNECTION, 1, 0);
        RingBuffer ring = outbox.ring(0);
        int claimed = ring.tryClaim(CommandTypes.OUT_REPLACED, OutboxDescriptor.HEADER_LENGTH);
        ring.buffer().putLong(claimed + OutboxDescriptor.CONNECTION, CONNECTION);
        outbox.wake();

        loop.tasks.remove().run();
        assertThat(loop.recorder.take()).containsExactly(new RecordingOutbound.Ack(CONNECTION, 1, 0));
        assertThat(loop.tasks).as("the drain submitted itself again").hasSize(1);

        ring.commit(claimed); // the shard commits; its wake finds the drain submitted already
        outbox.wake();
        assertThat(loop.runTasks()).isEqualTo(1);
        assertThat(loop.recorder.take()).containsExactly(new RecordingOutbound.Replaced(CONNECTION));
    }

    @Test
    void shouldWriteRecordsThatWrapAroundTheRingsEndInOneDrainWithOneFlush() {
        byte[] body = "abc".getBytes(StandardCharsets.UTF_8);
        // An 80-byte record and 20 acks of 32 bytes: the next acks reach the end of the ring 16 bytes short of a whole
        // record, so the ring pads to its end and goes on at its start.
        writer.msg(CONNECTION, TestMsg.of(1, 1, 42, 1, EnvelopeType.PLAIN, body, 0, body.length, null, 0, 0));
        for (int id = 1; id <= 20; id++) {
            writer.ack(CONNECTION, id, 0);
        }
        writer.signal();
        loop.runTasks();
        loop.recorder.take();
        loop.flushes = 0;

        int acks = RING_BYTES / 32 - 4;
        for (int id = 1; id <= acks; id++) {
            writer.ack(CONNECTION, id, 0);
        }
        writer.signal();

        assertThat(loop.runTasks()).as("drains").isEqualTo(1);
        assertThat(loop.flushes).isEqualTo(1);
        List<RecordingOutbound.Event> written = loop.recorder.take();
        assertThat(written).hasSize(acks);
        assertThat(written.get(acks - 1)).isEqualTo(new RecordingOutbound.Ack(CONNECTION, acks, 0));
    }

    @Test
    void shouldDrainEveryShardsRingInOneDrainWhenOneShardHasABacklog() {
        SteppedLoop twoShards = new SteppedLoop();
        Outbox shared = new Outbox(twoShards, 2, 256 * 1024);
        OutboxWriter busy = new OutboxWriter(
                new Outbox[] {shared},
                0,
                256 * 1024,
                new BackoffIdleStrategy(1, 1, 1_000, 100_000),
                CounterSet.standalone("shard-0", ShardCounter.class));
        OutboxWriter quiet = new OutboxWriter(
                new Outbox[] {shared},
                1,
                256 * 1024,
                new BackoffIdleStrategy(1, 1, 1_000, 100_000),
                CounterSet.standalone("shard-1", ShardCounter.class));
        for (int id = 1; id <= Outbox.DRAIN_LIMIT + 10; id++) {
            busy.ack(CONNECTION, id, 0);
        }
        long other = ConnectionRef.of(8, 0);
        quiet.ack(other, 1, 0);
        busy.signal();
        quiet.signal();

        twoShards.tasks.remove().run();

        List<RecordingOutbound.Event> first = twoShards.recorder.take();
        assertThat(first).as("at most the limit, shared").hasSize(Outbox.DRAIN_LIMIT / 2 + 1);
        assertThat(first).contains(new RecordingOutbound.Ack(other, 1, 0));
        assertThat(twoShards.runTasks())
                .as("drains for the rest of the backlog")
                .isEqualTo(2);
        assertThat(twoShards.recorder.take()).hasSize(Outbox.DRAIN_LIMIT / 2 + 10);
    }
}
