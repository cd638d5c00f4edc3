package io.switchboard.core.router.sharded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.RecordingOutbound;
import io.switchboard.core.owner.TestMsg;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.router.ConnectionRef;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

/**
 * A shard's {@link OutboxWriter} and an I/O loop's {@link Outbox}, stepped by hand: what the shard writes is what the
 * loop's writer is called with, field for field and in order, whether batched or not; a full batch hands over every
 * loop's; a drain yields the loop after {@link Outbox#DRAIN_LIMIT} records and comes back for the rest; and a shard
 * waiting on an outbox nobody drains stops when its runner closes it.
 */
class OutboxWriterTest {
    private static final long CONNECTION = ConnectionRef.of(7, 0);

    private final SteppedLoop loop = new SteppedLoop();
    private final CounterSet<ShardCounter> counters = CounterSet.standalone("shard", ShardCounter.class);

    private OutboxWriter writer(int outboxBytes) {
        return new OutboxWriter(
                new Outbox[] {new Outbox(loop, outboxBytes)},
                outboxBytes,
                new BackoffIdleStrategy(1, 1, 1_000, 100_000),
                counters,
                () -> {});
    }

    @Test
    void shouldHandTheLoopsWriterEveryRecordFieldForFieldInOrderWithOneFlushPerDrain() {
        OutboxWriter writer = writer(64 * 1024);
        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        writer.ack(CONNECTION, 11, 1_700_000_000_001L);
        writer.msg(
                CONNECTION,
                TestMsg.of(
                        3, 12, 42, 2, EnvelopeType.PKMSG, body, 0, body.length, "media-1", 1234, 1_700_000_000_002L));
        writer.msg(CONNECTION, TestMsg.of(4, 13, 43, 1, EnvelopeType.PLAIN, body, 1, 3, null, 0, 5));
        writer.receipt(CONNECTION, 12, 99, ReceiptKind.READ, 1_700_000_000_003L, 8);
        writer.error(CONNECTION, ErrorCode.DEVICES, 14, "device list", 0b10, 0b100);
        writer.error(CONNECTION, ErrorCode.AUTH, 0, null, 0, 0);
        writer.replaced(CONNECTION);
        writer.revoked(CONNECTION);
        writer.frame(CONNECTION, new Frame().reset(FrameType.PONG).ts(6));
        assertThat(loop.tasks).as("nothing is woken before the shard signals").isEmpty();

        writer.signal();
        assertThat(loop.runTasks()).as("one wake, one drain").isEqualTo(1);

        assertThat(loop.recorder.take())
                .containsExactly(
                        new RecordingOutbound.Ack(CONNECTION, 11, 1_700_000_000_001L),
                        new RecordingOutbound.Msg(
                                CONNECTION,
                                3,
                                12,
                                42,
                                2,
                                EnvelopeType.PKMSG,
                                "hello",
                                "media-1",
                                1234,
                                1_700_000_000_002L),
                        new RecordingOutbound.Msg(CONNECTION, 4, 13, 43, 1, EnvelopeType.PLAIN, "ell", null, 0, 5),
                        new RecordingOutbound.Receipt(CONNECTION, 12, 99, ReceiptKind.READ, 1_700_000_000_003L, 8),
                        new RecordingOutbound.Error(CONNECTION, ErrorCode.DEVICES, 14, "device list", 0b10, 0b100),
                        new RecordingOutbound.Error(CONNECTION, ErrorCode.AUTH, 0, null, 0, 0),
                        new RecordingOutbound.Replaced(CONNECTION),
                        new RecordingOutbound.Revoked(CONNECTION));
        assertThat(loop.encoded).containsExactly("{\"t\":\"pong\",\"ts\":6}");
        assertThat(loop.flushes).isEqualTo(1);
    }

    @Test
    void shouldKeepTheOrderOfARecordTooLongForABatchAmongTheBatchedOnes() {
        OutboxWriter writer = writer(64 * 1024);
        byte[] body = new byte[OutboxBatch.MAX_BYTES];
        writer.ack(CONNECTION, 1, 0);
        writer.msg(CONNECTION, TestMsg.of(1, 2, 42, 1, EnvelopeType.PLAIN, body, 0, body.length, null, 0, 0));
        writer.ack(CONNECTION, 3, 0);
        writer.signal();
        loop.runTasks();

        assertThat(loop.recorder.take())
                .extracting(event -> event.getClass().getSimpleName())
                .containsExactly("Ack", "Msg", "Ack");
    }

    @Test
    void shouldRunTheHandOverHookBeforeAnyRecordReachesARingSoThatNoAckPrecedesItsJournalRecord() {
        Outbox outbox = new Outbox(loop, 64 * 1024);
        List<Integer> ringAtHandOver = new ArrayList<>();
        OutboxWriter writer = new OutboxWriter(
                new Outbox[] {outbox},
                64 * 1024,
                new BackoffIdleStrategy(1, 1, 1_000, 100_000),
                counters,
                () -> ringAtHandOver.add(outbox.ring().size()));
        writer.ack(CONNECTION, 1, 0);
        assertThat(ringAtHandOver)
                .as("a record held in its batch is handed to no one")
                .isEmpty();
        byte[] body = new byte[OutboxBatch.MAX_BYTES];

        // Too long for a batch: the ack's batch goes to the ring first, then the message, each after the hook.
        writer.msg(CONNECTION, TestMsg.of(1, 2, 42, 1, EnvelopeType.PLAIN, body, 0, body.length, null, 0, 0));
        int withBoth = outbox.ring().size();
        writer.ack(CONNECTION, 3, 0);
        writer.signal();

        assertThat(ringAtHandOver).hasSize(3);
        assertThat(ringAtHandOver.get(0)).as("before the ack's batch").isZero();
        assertThat(ringAtHandOver.get(1)).as("before the message").isPositive().isLessThan(withBoth);
        assertThat(ringAtHandOver.get(2))
                .as("before the last batch, at the cycle's end")
                .isEqualTo(withBoth);
        assertThat(outbox.ring().size()).isGreaterThan(withBoth);
    }

    @Test
    void shouldHandEveryLoopsBatchToItsRingWhenOneBatchIsFullSoNoFrameOvertakesOneWrittenBeforeIt() {
        SteppedLoop other = new SteppedLoop(1);
        Outbox otherOutbox = new Outbox(other, 64 * 1024);
        OutboxWriter writer = new OutboxWriter(
                new Outbox[] {new Outbox(loop, 64 * 1024), otherOutbox},
                64 * 1024,
                new BackoffIdleStrategy(1, 1, 1_000, 100_000),
                counters,
                () -> {});
        long otherConnection = ConnectionRef.of(8, 1);
        writer.ack(otherConnection, 1, 0); // a message's ack, on one loop
        assertThat(otherOutbox.ring().size()).as("held in its batch").isZero();

        byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
        int recordBytes = OutboxBatch.RECORD_HEADER + 72; // a message's record of 69 bytes, padded
        for (long seq = 1; seq <= OutboxBatch.MAX_BYTES / recordBytes + 1; seq++) { // the message, and more, elsewhere
            writer.msg(CONNECTION, TestMsg.of(seq, seq, 42, 1, EnvelopeType.PLAIN, body, 0, body.length, null, 0, 0));
        }

        otherOutbox.run();
        assertThat(other.recorder.take())
                .as("the ack reached its ring when the other loop's batch filled")
                .containsExactly(new RecordingOutbound.Ack(otherConnection, 1, 0));
    }

    @Test
    void shouldYieldTheLoopAfterTheDrainLimitAndComeBackForTheRest() {
        OutboxWriter writer = writer(1024 * 1024);
        int records = Outbox.DRAIN_LIMIT + 10;
        for (int id = 1; id <= records; id++) {
            writer.ack(CONNECTION, id, 0);
        }
        writer.signal();

        assertThat(loop.runTasks())
                .as("the first drain stops at the limit and schedules another")
                .isEqualTo(2);
        List<RecordingOutbound.Event> acks = loop.recorder.take();
        assertThat(acks).hasSize(records);
        assertThat(acks.get(records - 1)).isEqualTo(new RecordingOutbound.Ack(CONNECTION, records, 0));
        assertThat(loop.flushes).isEqualTo(2);
        assertThat(counters.get(ShardCounter.OUTBOX_FULL_WAITS)).isZero();
    }

    @Test
    void shouldWaitForRoomInAFullOutboxAndStopTheShardWhenItsRunnerInterruptsIt() throws InterruptedException {
        OutboxWriter writer = writer(1024); // its loop never runs a task: nothing drains
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread shard = new Thread(() -> {
            try {
                for (long id = 1; ; id++) {
                    writer.ack(CONNECTION, id, 0);
                }
            } catch (Throwable t) {
                ended.set(t);
            }
        });
        shard.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> counters.get(ShardCounter.OUTBOX_FULL_WAITS) > 0);
        assertThat(shard.isAlive()).as("waits for room while nobody drains").isTrue();

        shard.interrupt(); // what AgentRunner.close does to a shard that does not stop in time
        shard.join(10_000);

        assertThat(shard.isAlive()).as("the wait ends").isFalse();
        assertThat(ended.get())
                .isInstanceOf(AgentTerminationException.class)
                .hasMessageContaining("outbox of I/O loop 0");
        assertThat(loop.recorder.take()).as("nothing reached the stopped loop").isEmpty();
    }
}
