package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.collections.IntArrayList;
import org.junit.jupiter.api.Test;

/**
 * A read is confirmed only by the {@code pong} of a ping written after it: a read written while a ping was in flight
 * waits for the next one, and one not confirmed when the connection drops is written again on the next session.
 */
class UnconfirmedReadsTest {
    private static final int DEVICE = 2;
    private final UnconfirmedReads reads = new UnconfirmedReads(3);

    private IntArrayList writtenAgain() {
        IntArrayList again = new IntArrayList();
        assertThat(reads.writeAgain(DEVICE, again::addInt))
                .as("a ping follows what was written again")
                .isEqualTo(!again.isEmpty());
        return again;
    }

    @Test
    void shouldWriteAgainAfterACloseTheReadsNoPongConfirmed() {
        assertThat(reads.written(DEVICE, 5))
                .as("the first read is followed by a ping")
                .isTrue();
        assertThat(reads.written(DEVICE, 6)).as("one ping in flight at a time").isFalse();
        assertThat(reads.pong(DEVICE))
                .as("read 6 came after the ping: another one")
                .isTrue();
        reads.closed(DEVICE);
        assertThat(writtenAgain()).containsExactly(6);
        assertThat(reads.pong(DEVICE)).isFalse();
        assertThat(writtenAgain()).as("all confirmed").isEmpty();
        assertThat(reads.written(0, 1)).isTrue();
        assertThat(reads.writeAgain(1, index -> {}))
                .as("another device's reads are its own")
                .isFalse();
    }

    @Test
    void shouldKeepTheReadsOfAPingWhosePongNeverCame() {
        reads.written(DEVICE, 7);
        reads.closed(DEVICE);
        assertThat(reads.pong(DEVICE))
                .as("no ping in flight on the new session yet")
                .isFalse();
        assertThat(writtenAgain()).containsExactly(7);
        reads.written(DEVICE, 8);
        assertThat(reads.pong(DEVICE))
                .as("the ping after the reads written again took 7 only")
                .isTrue();
        assertThat(reads.pong(DEVICE)).isFalse();
        assertThat(writtenAgain()).isEmpty();
    }
}
