package io.switchboard.simulator.run;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one run measured: the oracle's counts, send→deliver and send→ack latency of the messages sent in the measured
 * window (µs, from intended send times), a histogram per second for the log, and the per-second timeline.
 *
 * @param windowSent messages whose intended send time fell in the measured window
 * @param windowSentToOffline of those, messages sent to a recipient that was offline (queued until its login; not in
 *     {@code send2deliver})
 * @param windowDelivered deliveries of the measured window's messages by the end of the drain
 * @param deliveriesInWindow deliveries made while the measured window was open, whatever their send time
 * @param send2receipt from the intended send time to the {@code delivered} receipt (aggregated for a group message)
 * @param timeline rows of {second, sent, delivered, p99Micros}
 * @param drainSec from the end of sending until everything arrived (or the drain's limit)
 * @param drainSettled whether everything arrived before the drain's limit
 * @param heap heap after full GCs at the run's start, per registered and per online user; null below {@link
 *     HeapCensus#MIN_USERS} users
 * @param groups the run's groups; null when it has none
 * @param presence presence and typing frames sent and received
 * @param receiptsSentAgain receipts the server sent a second time because the first was not acknowledged (the
 *     connection closed first); the client drops them by their rseq
 * @param serverCounters the embedded server's counters over the workload ({@link RuntimeFigures})
 * @param gc garbage collections over the workload ({@link RuntimeFigures})
 */
record RunOutcome(
        Oracle.OracleCounts oracle,
        long windowSent,
        long windowSentToOffline,
        long windowDelivered,
        long deliveriesInWindow,
        Histogram send2deliver,
        Histogram send2ack,
        Histogram send2receipt,
        List<Histogram> perSecond,
        List<long[]> timeline,
        double durationSec,
        double drainSec,
        boolean drainSettled,
        HeapCensus heap,
        GroupFigures groups,
        PresenceCounts presence,
        long receiptsSentAgain,
        Map<String, Long> serverCounters,
        Map<String, Object> gc) {
    /**
     * The groups a run created: how many, the largest, and memberships in all (creators included), as created; and
     * what their membership changes did, null without changes.
     */
    record GroupFigures(int count, int largest, long memberships, MembershipChanges.Figures changes) {}

    double sentPerSec() {
        return windowSent / durationSec;
    }

    /** Deliveries per second while the window was open: what the system delivered, not what it caught up on later. */
    double deliveredPerSec() {
        return deliveriesInWindow / durationSec;
    }

    double sentToOfflinePerSec() {
        return windowSentToOffline / durationSec;
    }
}
