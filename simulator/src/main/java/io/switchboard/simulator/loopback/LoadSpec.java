package io.switchboard.simulator.loopback;

import java.time.Duration;

/**
 * One measured run: {@code pairs} sender→recipient pairs on real sockets, an open-loop offered rate spread evenly
 * over the senders, a warm-up that is not recorded, and a measured window.
 */
record LoadSpec(int pairs, int ratePerSecond, int bodyBytes, Duration warmup, Duration duration, Duration drain) {
    LoadSpec {
        if (pairs < 1 || ratePerSecond < 1 || bodyBytes < 16) {
            throw new IllegalArgumentException("pairs and rate must be positive and bodies at least 16 bytes");
        }
    }
}
