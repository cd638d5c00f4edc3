package io.switchboard.simulator.run;

import io.switchboard.simulator.fault.NetworkProfile;
import io.switchboard.simulator.fault.NetworkProxy;
import io.switchboard.simulator.fault.ProcessServer;
import io.switchboard.simulator.scenario.Scenario;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A scenario's faults, each at its time from the start of the warm-up, on a thread of their own: {@code kill}
 * SIGKILLs the server process and starts it again (same port, same data) after the fault's {@code for}; {@code
 * restart} stops it with SIGTERM and starts it again; {@code diskFull} fills the server's disk for the fault's {@code
 * for} ({@link DiskFullFault}); {@code storm} closes every client connection at once and every
 * device reconnects at once; {@code network} puts a {@link NetworkProfile} on the clients' network and {@code
 * partition} cuts it, each for the fault's {@code for}. Faults run one after another: one due while another lasts
 * waits for it; but {@code slowReaders} runs on a thread of its own ({@link SlowReaderFault}), so that it may overlap
 * a bad network. Before the server goes, the run's {@link Outages} hears of it.
 * A fault that cannot be carried out (the server does not come back) fails the run.
 */
final class FaultTimeline implements AutoCloseable {
    private final List<Scenario.Fault> faults;
    private final ProcessServer server;
    private final NetworkProxy network;
    private final Outages outages;
    private final ScenarioRun run;
    private final PrintStream out;
    private final Thread thread;
    /** Null without a {@code slowReaders} fault. */
    private final SlowReaderFault slowReaders;

    private final Thread slowThread;
    /** Null without a server the run started. */
    private final DiskFullFault diskFull;

    private long startNs;

    /**
     * @param server the server process the run started; null when its user started it (no kill or restart then)
     * @param network between the clients and the server; null when no fault needs it
     * @param outages the run's, null without faults
     */
    FaultTimeline(
            List<Scenario.Fault> faults,
            ProcessServer server,
            NetworkProxy network,
            Outages outages,
            ScenarioRun run,
            PrintStream out) {
        this.faults = faults;
        this.server = server;
        this.network = network;
        this.outages = outages;
        this.run = run;
        this.out = out;
        this.thread = new Thread(this::runFaults, "switchboard-faults");
        thread.setDaemon(true);
        boolean slow = faults.stream().anyMatch(fault -> fault.kind() == Scenario.FaultKind.SLOW_READERS);
        this.slowReaders = slow ? new SlowReaderFault(outages.slowReaders(), network, server, outages, out) : null;
        this.slowThread = new Thread(this::runSlowReaders, "switchboard-slow-readers");
        this.diskFull = server == null ? null : new DiskFullFault(server, outages, out);
        slowThread.setDaemon(true);
    }

    /** Starts the clock with the workload: call just after the run starts. */
    void start() {
        startNs = System.nanoTime();
        if (!faults.isEmpty()) {
            thread.start();
        }
        if (slowReaders != null) {
            outages.slowReaders().plan(startNs);
            slowThread.start();
        }
    }

    private void runSlowReaders() {
        try {
            slowReaders.run(startNs);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            run.onError(-1, new IllegalStateException("fault failed: " + e.getMessage(), e));
        }
    }

    /** At the end of the run, on the client loop: what the faults measured at the end joins their entries. */
    void report() {
        if (slowReaders != null) {
            slowReaders.report();
        }
    }

    private void runFaults() {
        try {
            for (Scenario.Fault fault : faults) {
                long waitNs = startNs + fault.at().toNanos() - System.nanoTime();
                if (waitNs > 0) {
                    TimeUnit.NANOSECONDS.sleep(waitNs);
                }
                double atSec = (System.nanoTime() - startNs) / 1e9;
                String kind = fault.kind().scenarioName();
                switch (fault.kind()) {
                    case STORM -> {
                        outages.storm(atSec);
                        out.printf("%n  fault: reconnect storm at %.1f s%n", atSec);
                    }
                    case KILL, RESTART -> restart(fault, kind, atSec);
                    case NETWORK, PARTITION -> network(fault, kind, atSec);
                    case DISK_FULL -> diskFull.run(fault, atSec, outages.outage(kind, atSec));
                    case SLOW_READERS -> {
                        // on a thread of its own (runSlowReaders), so that it can overlap the others
                    }
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            run.onError(-1, new IllegalStateException("fault failed: " + e.getMessage(), e));
        }
    }

    /** SIGKILL (and the fault's {@code for} down) or SIGTERM, then the server started again. */
    private void restart(Scenario.Fault fault, String kind, double atSec) throws Exception {
        long pid = server.pid();
        outages.outage(kind, atSec);
        if (fault.kind() == Scenario.FaultKind.KILL) {
            server.kill();
            Thread.sleep(fault.lasting().toMillis());
        } else {
            server.stop();
        }
        long startMs = server.startAgain();
        out.printf(
                "%n  fault: %s of server process %d at %.1f s; started again in %,d ms as process %d%n",
                kind, pid, atSec, startMs, server.pid());
    }

    /** A network profile or a partition, for its {@code for}; the closes it makes are an outage's. */
    private void network(Scenario.Fault fault, String kind, double atSec) throws Exception {
        outages.outage(fault.profile() == null ? kind : kind + " " + fault.profile(), atSec);
        if (fault.kind() == Scenario.FaultKind.PARTITION) {
            network.partition(true);
        } else {
            network.profile(NetworkProfile.named(fault.profile()));
        }
        out.printf(
                "%n  fault: %s %s at %.1f s for %s%n",
                kind, fault.profile() == null ? "" : fault.profile(), atSec, fault.lasting());
        Thread.sleep(fault.lasting().toMillis());
        network.partition(false);
        network.profile(NetworkProfile.NONE);
        out.printf(
                "%n  fault: %s over at %.1f s (%,d connections dropped so far)%n",
                kind, (System.nanoTime() - startNs) / 1e9, network.dropped());
    }

    @Override
    public void close() throws InterruptedException {
        for (Thread faulting : new Thread[] {thread, slowThread}) {
            faulting.interrupt();
            if (faulting.isAlive()) {
                faulting.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }
}
