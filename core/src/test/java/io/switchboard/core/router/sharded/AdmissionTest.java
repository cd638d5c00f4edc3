package io.switchboard.core.router.sharded;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.RecordingOutbound;
import io.switchboard.core.owner.SendRefusal;
import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.router.ConnectionRef;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A shard behind on deliveries refuses new sends with {@code unavailable} and {@code retryAfterMs} instead of
 * acknowledging them into a backlog: while its I/O loop's outbox is above the high-water mark, and for a send that
 * waited in the inbox past {@code router.maxSendWaitMs}. The loop here drains only when the test runs it.
 */
class AdmissionTest {
    private static final long ALICE = 1;
    private static final long BOB = 2;
    private static final long CAROL = 3;
    private static final int BODY = 1000;
    /** About seven sends' ack and message records. */
    private static final int HIGH_WATER = 8 * 1024;

    private final long alice = ConnectionRef.of(1, 0);
    private final long bob = ConnectionRef.of(2, 0);
    private InvokedShards shards;

    @AfterEach
    void close() {
        shards.close();
    }

    private void start(Map<String, Object> settings) {
        shards = new InvokedShards(1, 64, user -> 1L << InvokedShards.DEVICE, settings);
        shards.router.open(ALICE, InvokedShards.DEVICE, alice, false);
        shards.router.open(BOB, InvokedShards.DEVICE, bob, false);
        step();
        shards.loop.encoded.clear();
    }

    private void step() {
        shards.invoker(0).invoke();
        shards.loop.runTasks();
    }

    private void send(long id) {
        send(id, BOB);
    }

    private void send(long id, long to) {
        byte[] body = new byte[BODY];
        Arrays.fill(body, (byte) 'x');
        Frame send = new Frame()
                .reset(FrameType.SEND)
                .id(id)
                .toUser(to)
                .addEnvelope(InvokedShards.DEVICE, EnvelopeType.MSG, new UnsafeBuffer(body), 0, BODY);
        assertThat(shards.router.send(ALICE, InvokedShards.DEVICE, alice, send, System.nanoTime()))
                .isTrue();
    }

    private List<Long> acked(List<RecordingOutbound.Event> events) {
        return events.stream()
                .filter(RecordingOutbound.Ack.class::isInstance)
                .map(event -> ((RecordingOutbound.Ack) event).id())
                .toList();
    }

    private List<String> refusals() {
        return shards.loop.encoded.stream()
                .filter(text -> text.contains("\"code\":\"unavailable\""))
                .toList();
    }

    @Test
    void shouldRefuseSendsWhileAnOutboxIsAboveItsHighWaterMarkAndTakeThemAgainOnceItDrained() {
        start(Map.of("router.outboxHighBytes", HIGH_WATER));
        for (long id = 1; id <= 20; id++) {
            send(id);
        }

        shards.invoker(0).invoke(); // the loop does not drain meanwhile: its outbox fills past the mark
        shards.loop.runTasks();

        List<RecordingOutbound.Event> events = shards.loop.recorder.take();
        List<Long> acked = acked(events);
        assertThat(acked).as("acknowledged until the outbox passed its mark").hasSizeBetween(6, 9);
        assertThat(acked)
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, acked.size())
                        .boxed()
                        .toList());
        assertThat(events.stream().filter(RecordingOutbound.Msg.class::isInstance))
                .as("a message for Bob for every ack, and for nothing refused")
                .hasSameSizeAs(acked);
        List<String> refusals = refusals();
        assertThat(refusals).hasSize(20 - acked.size());
        assertThat(refusals.get(0))
                .contains("\"id\":" + (acked.size() + 1))
                .contains("\"retryAfterMs\":" + SendRefusal.BEHIND_RETRY_AFTER_MS)
                .contains(SendRefusal.BEHIND);
        assertThat(shards.metrics.total(ShardCounter.MESSAGES_REFUSED_OVERLOAD)).isEqualTo(refusals.size());

        send(21); // the loop drained: the same shard takes sends again
        step();
        assertThat(acked(shards.loop.recorder.take())).containsExactly(21L);
    }

    /**
     * One slow loop refuses only the sends that would wait behind it: with Carol's loop (the second) above its mark,
     * Alice's sends to Bob, both on the first loop, are still taken, and hers to Carol are refused.
     */
    @Test
    void shouldRefuseOnlyTheSendsWhoseAckOrMessageWouldWaitBehindALoopAboveItsMark() {
        shards = new InvokedShards(
                1, 2, 64, user -> 1L << InvokedShards.DEVICE, Map.of("router.outboxHighBytes", HIGH_WATER));
        long carol = ConnectionRef.of(3, 1);
        shards.router.open(ALICE, InvokedShards.DEVICE, alice, false);
        shards.router.open(BOB, InvokedShards.DEVICE, bob, false);
        shards.router.open(CAROL, InvokedShards.DEVICE, carol, false);
        shards.invoker(0).invoke();
        shards.loops.forEach(SteppedLoop::runTasks);
        shards.loop.recorder.take();
        for (long id = 1; id <= 20; id++) {
            send(id, CAROL);
        }
        shards.invoker(0).invoke(); // Carol's loop never drains here: its outbox passes the mark
        shards.loop.runTasks();
        List<Long> ackedToCarol = acked(shards.loop.recorder.take());
        assertThat(ackedToCarol).as("taken until Carol's loop passed its mark").hasSizeBetween(6, 9);
        assertThat(refusals()).hasSize(20 - ackedToCarol.size());
        shards.loop.encoded.clear();

        send(21, BOB);
        send(22, CAROL);
        shards.invoker(0).invoke();
        shards.loop.runTasks();

        assertThat(acked(shards.loop.recorder.take()))
                .as("Alice's ack and Bob's message go through the first loop, which keeps up")
                .containsExactly(21L);
        assertThat(refusals()).singleElement().asString().contains("\"id\":22");
    }

    /** Timed, a send's wait runs from the last clock reading: after the command before it, or at the cycle's start. */
    @ParameterizedTest(name = "command latency recorded: {0}")
    @ValueSource(booleans = {false, true})
    void shouldRefuseASendThatWaitedInTheInboxLongerThanTheLimit(boolean timed) throws InterruptedException {
        start(Map.of("router.maxSendWaitMs", 1, "metrics.enabled", timed));
        send(1);
        Thread.sleep(20); // the shard is late to read it

        step();

        assertThat(acked(shards.loop.recorder.take())).isEmpty();
        assertThat(refusals()).singleElement().asString().contains("\"id\":1");
        assertThat(shards.metrics.total(ShardCounter.MESSAGES_ACCEPTED)).isZero();
    }
}
