package io.switchboard.simulator.run;

import io.netty.channel.EventLoop;
import io.switchboard.simulator.profile.HostSteal;
import io.switchboard.simulator.profile.MeasuredWindow;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutionException;
import org.agrona.collections.Long2LongHashMap;

/**
 * What the measured window cost this process: its CPU time, and the share of it that the load generator took (the
 * virtual clients and the oracle, which all live on the client loop's thread, against every thread of the process: the
 * embedded server's shards, I/O loops, journal and GC included), and the bytes its threads allocated, the load's
 * thread apart.
 * What a reader needs to tell whether a figure measures the server or the load: a CPU share near a core's worth of the
 * machine says the clients set the pace; the bytes per message say what each message costs the collector. On {@code
 * in-process} the load's thread is also the server's I/O loop for the clients' local channels, so its figures include
 * the server's side of them; with the server in another process only this process would be counted, so nothing is
 * given. Reads the clocks and counters at each end of the window, nothing per message.
 */
final class WindowCosts implements MeasuredWindow.Listener {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * The window's costs.
     *
     * @param processCpuNs the process's CPU time over the window; -1 where not measured
     * @param loadCpuNs of that, the load's thread's
     * @param windowNs the window's length on the wall clock
     * @param stealShare of the machine's CPU time over the window, the share its host took ({@link HostSteal}); NaN
     *     where not known
     * @param allocatedBytes bytes allocated by the threads of the process alive at the window's end (a thread that ended
     *     within it is not counted); -1 where not measured
     * @param loadAllocatedBytes of those, the load's thread's; -1 where not measured
     */
    record Figures(
            long processCpuNs,
            long loadCpuNs,
            long windowNs,
            double stealShare,
            long allocatedBytes,
            long loadAllocatedBytes) {
        static final Figures NONE = new Figures(-1, -1, 0, Double.NaN, -1, -1);

        /** The load's share of the process's CPU, 0 to 1; NaN where not measured. */
        double loadCpuShare() {
            return processCpuNs > 0 ? Math.min(1.0, (double) loadCpuNs / processCpuNs) : Double.NaN;
        }

        /**
         * The window's CPU per message of the {@code delivered} (deliveries of its messages): what the machine spends on
         * one, which the rate it holds on a given number of cores follows from; null when not measured or none came.
         */
        CpuPerMessage cpuPerMessage(long delivered) {
            if (processCpuNs <= 0 || delivered <= 0 || windowNs <= 0) {
                return null;
            }
            return new CpuPerMessage(
                    processCpuNs / 1e3 / delivered,
                    loadCpuNs / 1e3 / delivered,
                    (double) processCpuNs / windowNs,
                    stealShare);
        }

        /** What the window allocated per message of the {@code sent}; null when it was not measured or none was sent. */
        PerMessage perMessage(long sent) {
            if (allocatedBytes < 0 || sent <= 0) {
                return null;
            }
            return new PerMessage(
                    allocatedBytes / sent, loadAllocatedBytes / sent, (allocatedBytes - loadAllocatedBytes) / sent);
        }
    }

    /** Bytes allocated per message sent: by the whole process, the load generator's thread, and every other thread. */
    record PerMessage(long process, long loadThread, long otherThreads) {}

    /**
     * CPU per message delivered (µs): the whole process's and the load generator's thread's; the cores the process kept
     * busy on average over the window; and the share of the machine's CPU time its host took (NaN where not known).
     */
    record CpuPerMessage(double processMicros, double loadThreadMicros, double coresBusy, double stealShare) {}

    private final MeasuredWindow.Listener next;
    private final long thread;
    private final boolean allocation;
    private long threadAtOpenNs = -1;
    private long processAtOpenNs;
    private long openedNs;
    private long[] stealAtOpen;
    /** Per thread alive when the window opened: the bytes it had allocated by then; -1 for a thread started since. */
    private final Long2LongHashMap allocatedAtOpen = new Long2LongHashMap(-1);

    private Figures figures = Figures.NONE;

    /**
     * @param thread the id of the thread the clients and the oracle run on, or -1 not to measure (a server in another
     *     process)
     */
    WindowCosts(MeasuredWindow.Listener next, long thread) {
        this.next = next;
        this.thread = THREADS.isThreadCpuTimeSupported() ? thread : -1;
        this.allocation = thread >= 0 && THREADS.isThreadAllocatedMemorySupported();
    }

    /** For the clients on {@code loop}, telling {@code next} of the window too. */
    static WindowCosts of(MeasuredWindow.Listener next, EventLoop loop)
            throws InterruptedException, ExecutionException {
        return new WindowCosts(
                next, loop.submit(() -> Thread.currentThread().getId()).get());
    }

    @Override
    public void opened() {
        if (thread >= 0) {
            threadAtOpenNs = THREADS.getThreadCpuTime(thread);
            processAtOpenNs = processCpuNs();
            openedNs = System.nanoTime();
            stealAtOpen = HostSteal.read();
        }
        if (allocation) {
            long[] ids = THREADS.getAllThreadIds();
            long[] bytes = THREADS.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] >= 0) {
                    allocatedAtOpen.put(ids[i], bytes[i]);
                }
            }
        }
        next.opened();
    }

    @Override
    public void closed() {
        long process = -1;
        long load = -1;
        long windowNs = 0;
        double steal = Double.NaN;
        if (threadAtOpenNs >= 0) {
            steal = HostSteal.share(stealAtOpen, HostSteal.read());
            process = processCpuNs() - processAtOpenNs;
            load = THREADS.getThreadCpuTime(thread) - threadAtOpenNs;
            windowNs = System.nanoTime() - openedNs;
        }
        long allocated = -1;
        long loadAllocated = -1;
        if (allocation) {
            long[] ids = THREADS.getAllThreadIds();
            long[] bytes = THREADS.getThreadAllocatedBytes(ids);
            allocated = 0;
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] >= 0) {
                    long atOpen = allocatedAtOpen.get(ids[i]);
                    long since = bytes[i] - Math.max(0, atOpen);
                    allocated += since;
                    if (ids[i] == thread) {
                        loadAllocated = since;
                    }
                }
            }
        }
        figures = new Figures(process, load, windowNs, steal, allocated, loadAllocated);
        next.closed();
    }

    /** The window's costs; {@link Figures#NONE} when not measured or not closed yet. */
    Figures figures() {
        return figures;
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
