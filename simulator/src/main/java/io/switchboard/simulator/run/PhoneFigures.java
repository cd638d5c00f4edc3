package io.switchboard.simulator.run;

import java.util.Map;

/**
 * What a run measured of its phones ({@link PushWakes}): pushes, wakes and send→deliver of the messages that waited
 * for a wake, split into the modelled delay and the server's own part; null fields when no device is in the
 * background.
 *
 * @param pushWake the section {@code pushWake} of summary.json, or null
 * @param wakeP99Micros send→deliver p99 of messages delivered on a session a push opened
 * @param wokenWithoutPush logins of background devices no push asked for: 0 unless something else woke them
 */
record PhoneFigures(Map<String, Object> pushWake, long wakeP99Micros, long wokenWithoutPush) {
    static final PhoneFigures NONE = new PhoneFigures(null, 0, 0);

    static PhoneFigures of(PushWakes wakes) {
        return wakes.enabled()
                ? new PhoneFigures(
                        wakes.toJson(), wakes.send2deliver().getValueAtPercentile(99), wakes.wokenWithoutPush())
                : NONE;
    }
}
