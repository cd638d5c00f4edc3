package io.switchboard.simulator.run;

import io.netty.channel.EventLoop;
import io.switchboard.simulator.profile.MeasuredWindow;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ExecutionException;

/**
 * The share of this process's CPU that the load generator took over the measured window: the virtual clients and the
 * oracle, which all live on the client loop's thread, against every thread of the process (the embedded server's
 * shards, I/O loops, journal and GC included). What a reader needs to tell whether a figure measures the server or
 * the load: a share near a core's worth of the machine says the clients set the pace. On {@code in-process} that
 * thread is also the server's I/O loop for the clients' local channels, so the share includes the server's side of
 * them; with the server in another process it is of this process alone (the server's CPU is not counted), so it is
 * not given. Reads two clocks at each end of the window, nothing per message.
 */
final class LoadCpu implements MeasuredWindow.Listener {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final MeasuredWindow.Listener next;
    private final long thread;
    private long threadAtOpenNs = -1;
    private long processAtOpenNs;
    private double share = Double.NaN;

    /**
     * @param thread the id of the thread the clients and the oracle run on, or -1 not to measure (a server in another
     *     process)
     */
    LoadCpu(MeasuredWindow.Listener next, long thread) {
        this.next = next;
        this.thread = THREADS.isThreadCpuTimeSupported() ? thread : -1;
    }

    /** For the clients on {@code loop}, telling {@code next} of the window too. */
    static LoadCpu of(MeasuredWindow.Listener next, EventLoop loop) throws InterruptedException, ExecutionException {
        return new LoadCpu(
                next, loop.submit(() -> Thread.currentThread().getId()).get());
    }

    @Override
    public void opened() {
        if (thread >= 0) {
            threadAtOpenNs = THREADS.getThreadCpuTime(thread);
            processAtOpenNs = processCpuNs();
        }
        next.opened();
    }

    @Override
    public void closed() {
        if (threadAtOpenNs >= 0) {
            long process = processCpuNs() - processAtOpenNs;
            long load = THREADS.getThreadCpuTime(thread) - threadAtOpenNs;
            share = process > 0 ? Math.min(1.0, (double) load / process) : Double.NaN;
        }
        next.closed();
    }

    /** The load's share of the process's CPU over the window, 0 to 1; NaN when not measured or not closed yet. */
    double share() {
        return share;
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
