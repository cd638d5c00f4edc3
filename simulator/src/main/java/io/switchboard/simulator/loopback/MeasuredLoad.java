package io.switchboard.simulator.loopback;

import java.util.Map;
import org.HdrHistogram.Histogram;

/** What every measuring run ({@code loopback}, {@code fanout}) found, whatever its load: latencies and counts. */
interface MeasuredLoad {
    String variant();

    Map<String, String> settings();

    /** Microseconds from intended send time to delivery (each member's, for a group message). */
    Histogram sendToDeliver();

    Histogram sendToAck();

    long sent();

    long acked();

    long delivered();

    long lost();

    long duplicates();

    long errors();

    String firstError();
}
