package io.switchboard.simulator.run;

/**
 * What the {@code seq}s of the messages a device receives say about a copy of a message it already had. The server
 * numbers each device's messages from 1 and delivers them in seq order; on a new session it delivers again, in seq
 * order, every message whose {@code recv} it did not get. So a copy is a redelivery on a new session only when its seq
 * is one an earlier session of the device already saw and it comes in order in this session; a copy under a new seq
 * (the server queued the message twice) or a seq repeated within a session is a server fault.
 *
 * <p>Two {@code long}s a device slot. Single-threaded: the client I/O thread.
 */
final class DeliverySeqs {
    /** The highest seq any earlier session of the device received. */
    private final long[] beforeSession;
    /** The highest seq this session of the device received; 0 before its first message. */
    private final long[] inSession;

    DeliverySeqs(int devices) {
        beforeSession = new long[devices];
        inSession = new long[devices];
    }

    /** A new session of {@code device} was welcomed. */
    void sessionStarted(int device) {
        beforeSession[device] = Math.max(beforeSession[device], inSession[device]);
        inSession[device] = 0;
    }

    /**
     * A message with {@code seq} reached {@code device}: returns whether it may be a redelivery on a new session (seq
     * seen by an earlier session, and in order in this one).
     */
    boolean arrived(int device, long seq) {
        boolean inOrder = seq > inSession[device];
        if (inOrder) {
            inSession[device] = seq;
        }
        return inOrder && seq <= beforeSession[device];
    }
}
