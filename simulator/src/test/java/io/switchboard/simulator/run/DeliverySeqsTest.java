package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A copy is a redelivery only under a seq an earlier session saw, in order in the new one. */
class DeliverySeqsTest {
    private final DeliverySeqs seqs = new DeliverySeqs(2);

    @Test
    void shouldTakeSeqsAnEarlierSessionSawInOrderAsPossibleRedeliveries() {
        seqs.sessionStarted(0);
        assertThat(seqs.arrived(0, 1)).isFalse();
        assertThat(seqs.arrived(0, 2)).isFalse();
        seqs.sessionStarted(0);
        assertThat(seqs.arrived(0, 1))
                .as("the first session's seq 1 again, in order")
                .isTrue();
        assertThat(seqs.arrived(0, 2)).isTrue();
        assertThat(seqs.arrived(0, 3)).as("a seq no session saw").isFalse();
    }

    @Test
    void shouldTakeASeqRepeatedOrGoingBackWithinASessionAsNoRedelivery() {
        seqs.sessionStarted(0);
        seqs.arrived(0, 1);
        seqs.arrived(0, 2);
        seqs.arrived(0, 3);
        seqs.sessionStarted(0);
        assertThat(seqs.arrived(0, 2)).isTrue();
        assertThat(seqs.arrived(0, 2)).as("the same seq twice in one session").isFalse();
        assertThat(seqs.arrived(0, 1)).as("back below what this session had").isFalse();
    }

    @Test
    void shouldKeepEachDeviceApart() {
        seqs.sessionStarted(0);
        seqs.arrived(0, 5);
        seqs.sessionStarted(0);
        seqs.sessionStarted(1);
        assertThat(seqs.arrived(1, 5)).isFalse();
        assertThat(seqs.arrived(0, 5)).isTrue();
    }

    @Test
    void shouldRememberTheHighestSeqOfEverySessionNotJustTheLastOne() {
        seqs.sessionStarted(0);
        seqs.arrived(0, 7);
        seqs.sessionStarted(0); // a session that received nothing
        seqs.sessionStarted(0);
        assertThat(seqs.arrived(0, 7)).isTrue();
    }
}
