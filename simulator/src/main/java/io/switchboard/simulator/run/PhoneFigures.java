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
 * @param media the section {@code media} of summary.json, or null ({@link MediaMessages})
 * @param mediaCorrupt downloaded blobs that failed a check
 * @param mediaFailed blobs that could not be stored or fetched, or whose download was dropped
 */
record PhoneFigures(
        Map<String, Object> pushWake,
        long wakeP99Micros,
        long wokenWithoutPush,
        Map<String, Object> media,
        long mediaCorrupt,
        long mediaFailed) {
    static final PhoneFigures NONE = new PhoneFigures(null, 0, 0, null, 0, 0);

    static PhoneFigures of(PushWakes wakes, MediaMessages media, long messagesSent) {
        return new PhoneFigures(
                wakes.toJson(),
                wakes.enabled() ? wakes.send2deliver().getValueAtPercentile(99) : 0,
                wakes.wokenWithoutPush(),
                media.toJson(messagesSent),
                media.corrupt(),
                media.failures());
    }
}
