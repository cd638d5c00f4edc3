package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceConnections;
import io.switchboard.simulator.scenario.Scenario;
import java.util.Locale;

/**
 * What the clients spend on the workload ({@link RunOutcome.ClientFigures}): their counters when the workload starts,
 * so that registration, logins and group creation before it are left out. Client event loop only.
 */
final class ClientCosts {
    private long bytesWrittenAtStart;
    private long bytesReadAtStart;
    private long sealNsAtStart;
    private long sessionNsAtStart;
    private long keyFetchesAtStart;

    /** The workload starts now. */
    void start(DeviceConnections clients, Envelopes envelopes) {
        bytesWrittenAtStart = clients.bytesWritten();
        bytesReadAtStart = clients.bytesRead();
        sealNsAtStart = envelopes.busyNs();
        sessionNsAtStart = envelopes.sessionNs();
        keyFetchesAtStart = envelopes.keyFetches();
    }

    /** From the start until now, for {@code messages} workload messages. */
    RunOutcome.ClientFigures figures(Scenario scenario, long messages, DeviceConnections clients, Envelopes envelopes) {
        return new RunOutcome.ClientFigures(
                scenario.encryption().name().toLowerCase(Locale.ROOT),
                messages,
                envelopes.busyNs() - sealNsAtStart,
                envelopes.sessionNs() - sessionNsAtStart,
                envelopes.keyMakingNs(),
                clients.bytesWritten() - bytesWrittenAtStart,
                clients.bytesRead() - bytesReadAtStart,
                envelopes.keyFetches() - keyFetchesAtStart,
                envelopes.keyUploads(),
                (scenario.warmup().toMillis() + scenario.duration().toMillis()) / 1000.0);
    }
}
