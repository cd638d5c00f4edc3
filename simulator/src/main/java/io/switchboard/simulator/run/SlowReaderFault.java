package io.switchboard.simulator.run;

import io.switchboard.core.metrics.LoopCounter;
import io.switchboard.simulator.fault.NetworkProxy;
import io.switchboard.simulator.fault.ProcessServer;
import io.switchboard.simulator.fault.ServerScrapes;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * A {@code slowReaders} fault, on a thread of its own so that it may overlap another fault (a bad network, say): at
 * its time the network's slow lane paces what the server sends the slow devices, for the fault's {@code for}. What the
 * server did about them it reads from its {@code /metrics}: the connections it closed as slow consumers (its counter,
 * before and after) and its heap's high-water mark, sampled every {@link #HEAP_SAMPLE_MS} during the fault. The
 * closes are an outage's (the devices come back and send again what was never acknowledged); the latency of the
 * others is {@link SlowReaders}'s, added to the fault's entry at the end of the run.
 */
final class SlowReaderFault {
    static final long HEAP_SAMPLE_MS = 200;
    private static final String CLOSES = LoopCounter.SLOW_CONSUMER_CLOSES.spec().key();

    private final SlowReaders readers;
    private final NetworkProxy network;
    private final ProcessServer server;
    private final Outages outages;
    private final PrintStream out;
    private Outages.Outage outage;

    SlowReaderFault(SlowReaders readers, NetworkProxy network, ProcessServer server, Outages outages, PrintStream out) {
        this.readers = readers;
        this.network = network;
        this.server = server;
        this.outages = outages;
        this.out = out;
    }

    /** Waits for the fault's time from {@code startNs}, then slows the readers for its {@code for}. */
    void run(long startNs) throws Exception {
        long waitNs = startNs + readers.fault().at().toNanos() - System.nanoTime();
        if (waitNs > 0) {
            TimeUnit.NANOSECONDS.sleep(waitNs);
        }
        double atSec = (System.nanoTime() - startNs) / 1e9;
        outage = outages.outage("slowReaders", atSec);
        long closesBefore = server.scrapes().counters(server.metrics()).get(CLOSES);
        long heapBefore = heapUsed();
        network.slowReaders(readers.fault().bytesPerSecond());
        out.printf(
                "%n  fault: %,d slow readers at %,d B/s from %.1f s for %s%n",
                readers.count(),
                readers.fault().bytesPerSecond(),
                atSec,
                readers.fault().lasting());
        long endNs = System.nanoTime() + readers.fault().lasting().toNanos();
        long heapHigh = heapBefore;
        try {
            for (long leftNs = endNs - System.nanoTime(); leftNs > 0; leftNs = endNs - System.nanoTime()) {
                TimeUnit.NANOSECONDS.sleep(Math.min(leftNs, TimeUnit.MILLISECONDS.toNanos(HEAP_SAMPLE_MS)));
                heapHigh = Math.max(heapHigh, heapUsed());
            }
        } finally {
            network.slowReaders(0);
        }
        long closes = server.scrapes().counters(server.metrics()).get(CLOSES) - closesBefore;
        outage.details.put("slowConsumerCloses", closes);
        outage.details.put("serverHeapBeforeBytes", heapBefore);
        outage.details.put("serverHeapHighWaterBytes", heapHigh);
        outage.details.put(
                "serverHeapMaxBytes", ServerScrapes.gc(server.metrics()).get("heapMaxBytes"));
        out.printf(
                "%n  fault: slow readers over at %.1f s: the server closed %,d as slow consumers; its heap peaked at"
                        + " %,d MB (%,d MB before)%n",
                (System.nanoTime() - startNs) / 1e9, closes, heapHigh >> 20, heapBefore >> 20);
    }

    /** At the end of the run, on the client loop: the latency figures join the fault's entry. */
    void report() {
        if (outage != null) {
            outage.details.putAll(readers.toJson());
        }
    }

    private long heapUsed() throws Exception {
        return (Long) ServerScrapes.gc(server.metrics()).get("heapUsedBytes");
    }
}
