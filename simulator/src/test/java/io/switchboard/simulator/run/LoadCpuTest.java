package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.profile.MeasuredWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The load's share of the process's CPU: its thread's CPU time over the process's, between the window's ends. */
class LoadCpuTest {
    @Test
    void shouldGiveTheShareOfTheProcessCpuItsThreadTookWhileTheWindowWasOpen() throws InterruptedException {
        List<String> heard = new ArrayList<>();
        LoadCpu cpu = new LoadCpu(
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
        assertThat(cpu.share()).as("before the window").isNaN();

        cpu.opened();
        Thread other = new Thread(() -> burn(400));
        other.start();
        burn(400);
        other.join();
        cpu.closed();

        assertThat(heard).as("the profiler is still told").containsExactly("opened", "closed");
        // This thread and another burned alike: about half of the process's CPU (the JIT and GC take some too).
        assertThat(cpu.share()).isBetween(0.25, 0.75);
    }

    @Test
    void shouldGiveNoShareWhenTheServerIsInAnotherProcess() {
        LoadCpu cpu = new LoadCpu(MeasuredWindow.Listener.NONE, -1);
        cpu.opened();
        burn(50);
        cpu.closed();
        assertThat(cpu.share()).isNaN();
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
