package io.switchboard.simulator.run;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one run measured: the oracle's counts, send→deliver and send→ack latency of the messages sent in the measured
 * window (µs, from intended send times), a histogram per second for the log, and the per-second timeline.
 *
 * @param held of what the oracle misses after a drain that did not settle, what the server still held ({@link
 *     HeldAtEnd})
 * @param windowSent messages whose intended send time fell in the measured window
 * @param windowSentToOffline of those, messages sent to a recipient that was offline (queued until its login; not in
 *     {@code send2deliver})
 * @param windowAcked of those, messages the server acknowledged (the rest it refused, or never answered)
 * @param windowDelivered deliveries of the measured window's messages by the end of the drain
 * @param deliveriesInWindow deliveries made while the measured window was open, whatever their send time
 * @param send2receipt from the intended send time to the {@code delivered} receipt (aggregated for a group message)
 * @param sendLag from the intended send time to the client's write ({@link WindowFigures#sendLag})
 * @param timeline rows of {second, sent, delivered, p99Micros}
 * @param drainSec from the end of sending until everything arrived (or the drain's limit)
 * @param drainSettled whether everything arrived before the drain's limit
 * @param heap heap after full GCs at the run's start, per registered and per online user; null below {@link
 *     HeapCensus#MIN_USERS} users
 * @param groups the run's groups; null when it has none
 * @param presence presence and typing frames sent and received
 * @param receiptsSentAgain receipts the server sent a second time because the first was not acknowledged (the
 *     connection closed first); the client drops them by their rseq
 * @param serverCounters the server's counters over the workload ({@link ServerFigures})
 * @param gc garbage collections over the workload ({@link ServerFigures})
 * @param resources the heap and the journal over the sending ({@link ResourceTrend}); null where not sampled
 * @param outages the server's outages the scenario's faults made, in time order ({@link Outages}); empty without faults
 * @param client what the clients spent on the workload's messages ({@link ClientFigures})
 * @param phones phones in the background and their wakes by push ({@link PushWakes})
 * @param windowCosts the clients' and oracle's share of this process's CPU over the window, and the bytes allocated
 *     meanwhile ({@link WindowCosts})
 */
record RunOutcome(
        Oracle.OracleCounts oracle,
        HeldAtEnd held,
        long windowSent,
        long windowSentToOffline,
        long windowAcked,
        long windowDelivered,
        long deliveriesInWindow,
        Histogram send2deliver,
        Histogram send2ack,
        Histogram send2receipt,
        Histogram sendLag,
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
        Map<String, Object> gc,
        Map<String, Object> resources,
        List<Outages.Outage> outages,
        ClientFigures client,
        PhoneFigures phones,
        WindowCosts.Figures windowCosts) {
    /**
     * The groups a run created: how many, the largest, and memberships in all (creators included), as created; and
     * what their membership changes did, null without changes.
     */
    record GroupFigures(int count, int largest, long memberships, MembershipChanges.Figures changes) {
        /** The figures of {@code groups}, with those of {@code changes} when membership changed; null without groups. */
        static GroupFigures of(GroupPlan groups, MembershipChanges changes) {
            return groups.count() == 0
                    ? null
                    : new GroupFigures(
                            groups.count(),
                            groups.largest(),
                            groups.memberships(),
                            changes == null ? null : changes.figures());
        }
    }

    /**
     * What the clients spent from the workload's start to the end of the drain, for the messages they sent: client
     * loop time sealing and opening envelopes ({@link Envelopes#busyNs()}), building sessions from fetched bundles and
     * (off the loop) making one-time keys on {@code keys.low}, WebSocket payload bytes written and read
     * by every device (frames of every kind: sends, deliveries, acks, receipts, sender keys), and the bundle fetches
     * and one-time key uploads of {@code encryption: signal} clients.
     *
     * @param sendingSec warm-up and measured window: the time over which the messages were sent
     */
    record ClientFigures(
            String encryption,
            long messages,
            long sealNs,
            long sessionNs,
            long keyMakingNs,
            long bytesWritten,
            long bytesRead,
            long keyFetches,
            long keyUploads,
            double sendingSec) {
        Map<String, Object> toJson() {
            Map<String, Object> json = new java.util.LinkedHashMap<>();
            long perMessage = Math.max(1, messages);
            json.put("encryption", encryption);
            json.put("cryptoMicrosPerMessage", micros(sealNs, perMessage));
            json.put("sessionMicrosPerMessage", micros(sessionNs, perMessage));
            json.put("keyMakingMicrosPerMessage", micros(keyMakingNs, perMessage));
            json.put("wireBytesPerMessage", (bytesWritten + bytesRead) / perMessage);
            json.put("bytesWritten", bytesWritten);
            json.put("bytesRead", bytesRead);
            json.put("keyFetches", keyFetches);
            json.put("keyFetchesPerSec", Math.round(keyFetches / sendingSec * 10) / 10.0);
            json.put("keyUploads", keyUploads);
            return json;
        }

        private static double micros(long ns, long messages) {
            return Math.round(ns / 1000.0 / messages * 100) / 100.0;
        }
    }

    /**
     * Deliveries owed at the end that the server still held, unsent or on a session not confirmed by the {@link
     * EndBarrier}: not lost, the run ended before them. At most the oracle's owed deliveries (a server that queued one
     * message twice for a device cannot make more than were owed).
     */
    long undeliveredAtEnd() {
        return Math.min(held.messages(), oracle.lost());
    }

    /** Deliveries owed at the end that the server no longer holds, or wrote to a session that never got them. */
    long lost() {
        return oracle.lost() - undeliveredAtEnd();
    }

    /** Receipts missing at the end that the server still held for their sending device, as {@link #undeliveredAtEnd}. */
    long receiptsUndeliveredAtEnd() {
        return Math.min(held.receipts(), oracle.receiptErrors());
    }

    /**
     * Read receipts missing because the server ignored their reads after forgetting unread messages past its bounds
     * ({@code router.maxUnreadPerUser}, {@code router.maxUnreadBytes}, the retention): none comes, by design.
     */
    long readsIgnored() {
        return Math.min(held.readsIgnored(), oracle.receiptErrors() - receiptsUndeliveredAtEnd());
    }

    /** Receipts wrong, repeated, or missing and neither held by the server nor of a read it ignored. */
    long receiptErrors() {
        return oracle.receiptErrors() - receiptsUndeliveredAtEnd() - readsIgnored();
    }

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
