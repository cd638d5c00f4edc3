package io.switchboard.simulator.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A loop that yields before it parks still runs at once what another thread hands it, parked or not. */
class YieldingIoHandlerTest {
    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("yielding-test"), YieldingIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void shouldRunATaskHandedOverWhileTheLoopYieldsParksOrIsBetweenTheTwo() throws InterruptedException {
        EventLoop loop = group.next();
        for (int i = 0; i < 300; i++) {
            // From nothing (just handed the last task, yielding) to long enough to have parked, and between.
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(2)));
            CountDownLatch ran = new CountDownLatch(1);
            loop.execute(ran::countDown);
            // A wake missed would leave the task until the park times out, a second with nothing scheduled.
            assertThat(ran.await(500, TimeUnit.MILLISECONDS)).as("task %d", i).isTrue();
        }
    }

    @Test
    void shouldRunAScheduledTaskFromAParkedLoop() throws InterruptedException {
        EventLoop loop = group.next();
        Thread.sleep(50);
        CountDownLatch ran = new CountDownLatch(1);
        long start = System.nanoTime();
        loop.schedule(ran::countDown, 20, TimeUnit.MILLISECONDS);
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
    }
}
