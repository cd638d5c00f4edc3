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
 * when it ran; and records that wrap around the end of the ring are written in one drain, with one flush.
 */
class OutboxTest {
    private static final long CONNECTION = ConnectionRef.of(7, 0);
    private static final int RING_BYTES = 1024;

    private final SteppedLoop loop = new SteppedLoop();
    private final Outbox outbox = new Outbox(loop, RING_BYTES);
    private final OutboxWriter writer = new OutboxWriter(
            new Outbox[] {outbox},
            RING_BYTES,
            new BackoffIdleStrategy(1, 1, 1_000, 100_000),
            CounterSet.standalone("shard", ShardCounter.class),
            () -> {});

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
        writer.signal(); // one shard
        outbox.wake(); // another, before the loop got to the drain
        outbox.wake();
        assertThat(loop.tasks).as("drains submitted").hasSize(1);

        loop.tasks.remove().run();
        writer.ack(CONNECTION, 2, 0);
        writer.signal();

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
        writer.signal();
        RingBuffer ring = outbox.ring();
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
        // A writer's batches take 128 bytes here (the longest record a ring of 1024 takes): four acks of 32 bytes, in
        // a ring record of 136. A message of 80 bytes with an ack, and 19 acks, bring the ring to 768; the next round's
        // second batch would end past 1024, so the ring pads its last 120 bytes and goes on at its start.
        writer.msg(CONNECTION, TestMsg.of(1, 1, 42, 1, EnvelopeType.PLAIN, body, 0, body.length, null, 0, 0));
        for (int id = 1; id <= 20; id++) {
            writer.ack(CONNECTION, id, 0);
        }
        writer.signal();
        loop.runTasks();
        loop.recorder.take();
        loop.flushes = 0;

        int acks = 24; // six batches: 936 bytes of the ring with the padding
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
}
