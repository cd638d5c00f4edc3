package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.management.OperatingSystemMXBean;
import io.switchboard.simulator.profile.MeasuredWindow;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
    private static final long BURN_NS = TimeUnit.MILLISECONDS.toNanos(400);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

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
            burn(BURN_NS);
            burned.countDown();
            awaitQuietly(counted);
        });

        allocate(64);
        long threadBefore = THREADS.getCurrentThreadCpuTime();
        long processBefore = PROCESS.getProcessCpuTime();
        costs.opened();
        other.start();
        allocate(32);
        burn(BURN_NS);
        burned.await();
        costs.closed();
        long threadSpent = THREADS.getCurrentThreadCpuTime() - threadBefore;
        long processSpent = PROCESS.getProcessCpuTime() - processBefore;
        counted.countDown();
        other.join();

        assertThat(heard).as("the profiler is still told").containsExactly("opened", "closed");
        WindowCosts.Figures figures = costs.figures();
        // This thread's CPU in the window, over the process's, both within what the test saw around it; the process's
        // holds the other thread's burn too. Other threads of the test JVM may take any share of the rest.
        assertThat(figures.loadCpuNs()).isBetween(BURN_NS, threadSpent);
        assertThat(figures.processCpuNs()).isBetween(figures.loadCpuNs() + BURN_NS, processSpent);
        assertThat(figures.loadCpuShare())
                .isCloseTo((double) figures.loadCpuNs() / figures.processCpuNs(), within(1e-9));
        // Not what this thread allocated before the window opened; what both did in it, the other's apart.
        assertThat(figures.loadAllocatedBytes()).isBetween(32L * MIB, 48L * MIB);
        assertThat(figures.allocatedBytes() - figures.loadAllocatedBytes()).isGreaterThanOrEqualTo(96L * MIB);
    }

    @Test
    void shouldGiveNothingWhenTheServerIsInAnotherProcess() {
        WindowCosts costs = new WindowCosts(MeasuredWindow.Listener.NONE, -1);
        costs.opened();
        burn(BURN_NS / 8);
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

    /** Spins until this thread has used {@code ns} of CPU: CPU, not wall time, which a busy host would stretch. */
    private static void burn(long ns) {
        long end = THREADS.getCurrentThreadCpuTime() + ns;
        long x = 0;
        while (THREADS.getCurrentThreadCpuTime() < end) {
            x += x * 31 + 7;
        }
        assertThat(x).isNotEqualTo(42);
    }
}
