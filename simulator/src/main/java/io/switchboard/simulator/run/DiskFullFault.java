package io.switchboard.simulator.run;

import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.simulator.fault.DataDisk;
import io.switchboard.simulator.fault.ProcessServer;
import io.switchboard.simulator.scenario.Scenario;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code diskFull} fault: the server's data directory, a filesystem of its own ({@link DataDisk}), is filled to its
 * last byte by another file for the fault's {@code for}, as another process filling the disk would, and the file is
 * then deleted. What the server did is read from its {@code /metrics}: the sends it still accepted (into blocks its
 * journal had reserved before the disk filled), the send records its journal refused, and how long after the space
 * came back it accepted a send again ({@code resumedMs}, polled every {@link #POLL_MS}; -1 if it did not within
 * {@link #RESUME_WAIT_MS}). The sends the clients were refused come from the oracle. The oracle itself checks, across
 * the fault as always, that nothing acknowledged was lost.
 */
final class DiskFullFault {
    static final long POLL_MS = 20;
    static final long RESUME_WAIT_MS = 30_000;
    private static final String ACCEPTED = ShardCounter.MESSAGES_ACCEPTED.spec().key();
    private static final String GROUP_ACCEPTED =
            ShardCounter.GROUP_MESSAGES_ACCEPTED.spec().key();
    private static final String JOURNAL_REFUSED =
            ShardCounter.JOURNAL_REFUSED_MESSAGE.spec().key();
    private static final String JOURNAL_REFUSED_GROUP =
            ShardCounter.JOURNAL_REFUSED_GROUP.spec().key();

    private final ProcessServer server;
    private final Outages outages;
    private final PrintStream out;

    DiskFullFault(ProcessServer server, Outages outages, PrintStream out) {
        this.server = server;
        this.outages = outages;
        this.out = out;
    }

    /** Fills the disk now, waits the fault's {@code for}, gives the space back and waits for the next accepted send. */
    void run(Scenario.Fault fault, double atSec, Outages.Outage outage) throws Exception {
        DataDisk disk = server.disk();
        Map<String, Long> before = counters();
        long refusedBefore = outages.refused();
        long filled = disk.fill();
        out.printf(
                "%n  fault: disk full at %.1f s (%,d MiB of filler on its %,d MiB) for %s%n",
                atSec, filled >> 20, disk.bytes() >> 20, fault.lasting());
        Thread.sleep(fault.lasting().toMillis());
        Map<String, Long> full = counters();
        long refused = outages.refused() - refusedBefore;
        disk.empty();
        long emptiedNs = System.nanoTime();
        long resumedMs = -1;
        for (long waitedMs = 0; waitedMs < RESUME_WAIT_MS; waitedMs = elapsedMs(emptiedNs)) {
            if (accepted(counters()) > accepted(full)) {
                resumedMs = elapsedMs(emptiedNs);
                break;
            }
            Thread.sleep(POLL_MS);
        }
        outage.details.put("filledBytes", filled);
        outage.details.put("acceptedWhileFull", accepted(full) - accepted(before));
        outage.details.put("sendsRefused", refused);
        outage.details.put("journalRefusedSends", journalRefused(full) - journalRefused(before));
        outage.details.put("resumedMs", resumedMs);
        out.printf(
                "%n  fault: disk space back; %,d sends accepted and %,d refused while it was full; the server accepted"
                        + " a send again %s%n",
                accepted(full) - accepted(before),
                refused,
                resumedMs < 0 ? "not within " + RESUME_WAIT_MS / 1000 + " s" : resumedMs + " ms later");
    }

    private Map<String, Long> counters() throws Exception {
        return server.scrapes().counters(server.metrics());
    }

    private static long accepted(Map<String, Long> counters) {
        return counters.get(ACCEPTED) + counters.get(GROUP_ACCEPTED);
    }

    /** Send records the journal did not write: one-to-one messages, and group messages and group changes. */
    private static long journalRefused(Map<String, Long> counters) {
        return counters.get(JOURNAL_REFUSED) + counters.get(JOURNAL_REFUSED_GROUP);
    }

    private static long elapsedMs(long sinceNs) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sinceNs);
    }
}
