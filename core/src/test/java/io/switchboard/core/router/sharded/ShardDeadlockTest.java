package io.switchboard.core.router.sharded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.AgentInvoker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deadlock argument of the mailboxes, tested: two shards whose mailboxes are full of tasks that each post a task
 * to the other shard, whose mailbox is full too. Each shard is stepped on a thread of its own; shard 0 starts first and
 * runs every task in its mailbox before shard 1 starts, as a shard that is ahead of its peer does. Every task must
 * run within the deadline: a shard that waited inside a task, or nested one wait in another, would hang here or run
 * out of stack.
 */
class ShardDeadlockTest {
    private static final long DEADLINE_SECONDS = 30;

    private final InvokedShards shards = new InvokedShards(2, ShardedRouter.MAILBOX_TASKS);
    private final Stepper[] steppers = {new Stepper(shards.invoker(0)), new Stepper(shards.invoker(1))};

    /** Steps one shard on its own thread until stopped; keeps what ended it, if anything did. */
    private static final class Stepper implements Runnable {
        private final AgentInvoker invoker;
        private final Thread thread;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean stopped;

        Stepper(AgentInvoker invoker) {
            this.invoker = invoker;
            this.thread = new Thread(this, "stepper-" + invoker.agent().roleName());
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            try {
                while (!stopped) {
                    if (invoker.invoke() == 0) {
                        Thread.yield();
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        boolean running() {
            return failure.get() == null;
        }

        /** Ends the stepping, and a wait for room inside a step (as a runner's close does). */
        void stop() throws InterruptedException {
            stopped = true;
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(DEADLINE_SECONDS));
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Stepper stepper : steppers) {
            stepper.stop();
        }
        shards.close();
    }

    @Test
    void shouldRunEveryTaskWhenTwoShardsWithFullMailboxesPostToEachOther() throws InterruptedException {
        int tasks = ShardedRouter.MAILBOX_TASKS;
        CountDownLatch answered = new CountDownLatch(2 * tasks);
        AtomicInteger startedOnShard0 = new AtomicInteger();
        for (int shard = 0; shard < 2; shard++) {
            int other = 1 - shard;
            ShardAgent self = shards.agent(shard);
            // Posted as the other shard posts, before either runs: fills this shard's mailbox to capacity.
            for (int i = 0; i < tasks; i++) {
                shards.agent(other).post(shard, owner -> {
                    if (self.self() == 0) {
                        startedOnShard0.incrementAndGet();
                    }
                    self.post(other, answer -> answered.countDown());
                });
            }
        }

        // Had a task waited for room, shard 0 would now nest one wait in another for every task in its mailbox.
        steppers[0].thread.start();
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (startedOnShard0.get() < tasks && steppers[0].thread.isAlive() && System.nanoTime() - deadlineNs < 0) {
            Thread.sleep(1);
        }
        steppers[1].thread.start();

        while (answered.getCount() > 0
                && steppers[0].running()
                && steppers[1].running()
                && System.nanoTime() - deadlineNs < 0) {
            answered.await(10, TimeUnit.MILLISECONDS);
        }

        assertThat(steppers[0].failure.get()).as("what ended shard 0").isNull();
        assertThat(steppers[1].failure.get()).as("what ended shard 1").isNull();
        assertThat(2 * tasks - answered.getCount())
                .as("tasks answered within %d s", DEADLINE_SECONDS)
                .isEqualTo(2 * tasks);
    }
}
