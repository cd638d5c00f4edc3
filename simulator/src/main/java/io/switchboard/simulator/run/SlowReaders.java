package io.switchboard.simulator.run;

import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The devices a scenario's {@code slowReaders} fault makes slow, a seeded share fixed for the run (they always reach
 * the server through the network's slow lane, paced only while the fault lasts), and the send→deliver latency that
 * the fault's entry in summary.json compares: of the other devices in a stretch as long as the fault just before it
 * and during it, and of the slow devices during it. Timed as the run's own figures are, from each message's intended
 * send time, and only for deliveries to sessions open at the send. Client event loop only, but for {@link #plan}.
 */
final class SlowReaders {
    private static final SlowReaders NONE = new SlowReaders(null, new boolean[0]);

    private final Scenario.Fault fault;
    private final boolean[] slow;
    private final Histogram othersBefore = new Histogram(WindowFigures.MAX_MICROS, 3);
    private final Histogram othersDuring = new Histogram(WindowFigures.MAX_MICROS, 3);
    private final Histogram slowDuring = new Histogram(WindowFigures.MAX_MICROS, 3);
    private volatile long beforeNs = Long.MAX_VALUE;
    private volatile long duringNs = Long.MAX_VALUE;
    private volatile long afterNs = Long.MAX_VALUE;

    private SlowReaders(Scenario.Fault fault, boolean[] slow) {
        this.fault = fault;
        this.slow = slow;
    }

    /** The scenario's slow readers; none when it has no {@code slowReaders} fault. */
    static SlowReaders of(Scenario scenario) {
        for (Scenario.Fault fault : scenario.faults()) {
            if (fault.kind() == Scenario.FaultKind.SLOW_READERS) {
                boolean[] slow = new boolean[new DeviceSlots(scenario.devicesPerUser()).count(scenario.users())];
                for (int device = 0; device < slow.length; device++) {
                    // Drawn from the seed and the device alone, so the same devices are slow in every run of a seed.
                    slow[device] = Mix.unitInterval(scenario.seed() * 31 + 0x510E + device) < fault.share();
                }
                return new SlowReaders(fault, slow);
            }
        }
        return NONE;
    }

    Scenario.Fault fault() {
        return fault;
    }

    boolean slow(int device) {
        return device < slow.length && slow[device];
    }

    int count() {
        int count = 0;
        for (boolean one : slow) {
            count += one ? 1 : 0;
        }
        return count;
    }

    /** The faults' clock starts at {@code startNs}: the stretches before and during the fault follow from it. */
    void plan(long startNs) {
        if (fault != null) {
            long faultNs = startNs + fault.at().toNanos();
            beforeNs = faultNs - fault.lasting().toNanos();
            afterNs = faultNs + fault.lasting().toNanos();
            duringNs = faultNs;
        }
    }

    /** A timed delivery to {@code device} of a message due at {@code intendedNs}. */
    void delivered(int device, long intendedNs, long nowNs) {
        if (fault == null || intendedNs < beforeNs || intendedNs >= afterNs) {
            return;
        }
        long micros = WindowFigures.micros(intendedNs, nowNs);
        if (intendedNs >= duringNs) {
            (slow[device] ? slowDuring : othersDuring).recordValue(micros);
        } else if (!slow[device]) {
            othersBefore.recordValue(micros);
        }
    }

    /** The fault's latency figures, for its entry in summary.json: p99 in ms and the deliveries each is taken over. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("slowDevices", count());
        json.put("readBytesPerSecond", fault.bytesPerSecond());
        put(json, "othersBefore", othersBefore);
        put(json, "othersDuring", othersDuring);
        put(json, "slowDuring", slowDuring);
        return json;
    }

    private static void put(Map<String, Object> json, String name, Histogram histogram) {
        json.put(name + "P99Ms", histogram.getTotalCount() == 0 ? -1 : histogram.getValueAtPercentile(99) / 1000.0);
        json.put(name + "Deliveries", histogram.getTotalCount());
    }
}
