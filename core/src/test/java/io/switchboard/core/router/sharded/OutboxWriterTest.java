package io.switchboard.core.router.sharded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.router.ConnectionRef;
import io.switchboard.core.router.IoLoop;
import io.switchboard.core.session.Outbound;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;

/** A shard writing into the outbox of an I/O loop that no longer drains it. */
class OutboxWriterTest {
    private static final long CONNECTION = ConnectionRef.of(7, 0);

    /** A loop that has stopped: tasks submitted to it never run, so nothing drains its outbox. */
    private static final class StoppedLoop implements IoLoop {
        private final CounterSet<LoopCounter> counters = CounterSet.standalone("loop", LoopCounter.class);

        @Override
        public int index() {
            return 0;
        }

        @Override
        public Executor executor() {
            return task -> {};
        }

        @Override
        public Outbound writer() {
            return null;
        }

        @Override
        public void flushWritten() {}

        @Override
        public void writeEncoded(long connection, DirectBuffer text, int offset, int length) {}

        @Override
        public CounterSet<LoopCounter> counters() {
            return counters;
        }
    }

    private final CounterSet<ShardCounter> counters = CounterSet.standalone("shard", ShardCounter.class);
    private final OutboxWriter writer = new OutboxWriter(
            new Outbox[] {new Outbox(new StoppedLoop(), 1024)},
            new BackoffIdleStrategy(1, 1, 1_000, 100_000),
            counters);

    @Test
    void shouldWaitForRoomInAFullOutboxAndStopTheShardWhenItsRunnerInterruptsIt() throws InterruptedException {
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
    }
}
