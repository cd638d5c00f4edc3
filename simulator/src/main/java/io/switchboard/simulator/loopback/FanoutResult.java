package io.switchboard.simulator.loopback;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one fan-out measurement found: the live phase's member deliveries and latencies (microseconds from intended
 * send times), and the stored phase's heap and journal bytes per pending group message.
 */
record FanoutResult(
        String variant,
        Map<String, String> settings,
        FanoutSpec spec,
        double achievedDeliveriesPerSecond,
        Histogram sendToDeliver,
        Histogram sendToAck,
        long sent,
        long acked,
        long delivered,
        long lost,
        long duplicates,
        long errors,
        String firstError,
        int storedMessages,
        long heapBytesPerMessage,
        long journalBytesPerMessage)
        implements MeasuredLoad {}
