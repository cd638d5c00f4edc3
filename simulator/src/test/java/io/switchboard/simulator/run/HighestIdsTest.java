package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.net.DeviceSlots;
import org.junit.jupiter.api.Test;

/** Each (conversation, recipient device, sending device) keeps its own highest id, in an array and in a map. */
class HighestIdsTest {
    private static final int DEVICES = 8;

    @Test
    void shouldKeepEachPairsIdInAnArray() {
        HighestIds ids = new HighestIds(1024, new DeviceSlots(1), DEVICES, 1);
        assertThat(ids.dense()).isTrue();
        keepsApart(ids, 0);
    }

    @Test
    void shouldKeepEachPairsIdInAMapPerConversation() {
        HighestIds ids = new HighestIds(1024, new DeviceSlots(1), DEVICES, 3);
        assertThat(ids.dense()).isFalse();
        keepsApart(ids, 2);
        assertThat(ids.get(1, 1, 2)).as("another conversation's").isZero();
    }

    private static void keepsApart(HighestIds ids, int conversation) {
        for (int recipient = 0; recipient < DEVICES; recipient++) {
            for (int sender = 0; sender < DEVICES; sender++) {
                ids.put(conversation, recipient, sender, 1000 + 10 * recipient + sender);
            }
        }
        for (int recipient = 0; recipient < DEVICES; recipient++) {
            for (int sender = 0; sender < DEVICES; sender++) {
                assertThat(ids.get(conversation, recipient, sender)).isEqualTo(1000 + 10 * recipient + sender);
            }
        }
    }
}
