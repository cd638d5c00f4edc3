package io.switchboard.simulator.run;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one run measured: the oracle's counts, send→deliver and send→ack latency of the messages sent in the measured
 * window (µs, from intended send times), a histogram per second for the log, and the per-second timeline.
 *
 * @param windowSent messages whose intended send time fell in the measured window
 * @param timeline rows of {second, sent, delivered, p99Micros}
 */
record RunOutcome(
        Oracle.OracleCounts oracle,
        long windowSent,
        Histogram send2deliver,
        Histogram send2ack,
        List<Histogram> perSecond,
        List<long[]> timeline,
        double durationSec) {
    double sentPerSec() {
        return windowSent / durationSec;
    }

    double deliveredPerSec() {
        return send2deliver.getTotalCount() / durationSec;
    }
}
