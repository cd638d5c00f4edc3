package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.profile.MeasuredWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The window's costs: the load's thread's CPU time over the process's, and the bytes the threads allocated, between
 * the window's ends.
 */
class WindowCostsTest {
    private static final int MIB = 1 << 20;

    private static volatile byte[] sink;

    @Test
    void shouldGiveTheLoadsShareOfTheCpuAndTheBytesEachSideAllocatedWhileTheWindowWasOpen()
            throws InterruptedException {
        List<String> heard = new ArrayList<>();
        WindowCosts costs = new WindowCosts(
                new MeasuredWindow.Listener() {
                    @Override
                    public void opened() {
                        heard.add("opened");
                    }

                    @Override
                    public void closed() {
                        heard.add("closed");
                    }
                },
                Thread.currentThread().getId());
        assertThat(costs.figures().loadCpuShare()).as("before the window").isNaN();
        CountDownLatch burned = new CountDownLatch(1);
        CountDownLatch counted = new CountDownLatch(1);
        Thread other = new Thread(() -> {
            allocate(96);
            burn(400);
            burned.countDown();
            awaitQuietly(counted);
        });

        allocate(64);
        costs.opened();
        other.start();
        allocate(32);
        burn(400);
        burned.await();
        costs.closed();
        counted.countDown();
        other.join();

        assertThat(heard).as("the profiler is still told").containsExactly("opened", "closed");
        WindowCosts.Figures figures = costs.figures();
        // This thread and another burned alike: about half of the process's CPU (the JIT and GC take some too).
        assertThat(figures.loadCpuShare()).isBetween(0.25, 0.75);
        // Not what this thread allocated before the window opened; what both did in it, the other's apart.
        assertThat(figures.loadAllocatedBytes()).isBetween(32L * MIB, 48L * MIB);
        assertThat(figures.allocatedBytes() - figures.loadAllocatedBytes()).isGreaterThanOrEqualTo(96L * MIB);
    }

    @Test
    void shouldGiveNothingWhenTheServerIsInAnotherProcess() {
        WindowCosts costs = new WindowCosts(MeasuredWindow.Listener.NONE, -1);
        costs.opened();
        burn(50);
        allocate(1);
        costs.closed();
        assertThat(costs.figures()).isEqualTo(WindowCosts.Figures.NONE);
    }

    /** Allocates {@code mib} MiB on this thread, a MiB at a time. */
    private static void allocate(int mib) {
        for (int i = 0; i < mib; i++) {
            sink = new byte[MIB];
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Spins on this thread for {@code ms} of wall time. */
    private static void burn(long ms) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        long x = 0;
        while (System.nanoTime() < end) {
            x += x * 31 + 7;
        }
        assertThat(x).isNotEqualTo(42);
    }
}
