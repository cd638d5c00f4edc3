package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.net.DeviceSlots;
import org.junit.jupiter.api.Test;

/** The oracle's table and the client's share the memory of each pair, not its ids. */
class HighestIdsTest {
    private static final int DEVICES = 8;

    @Test
    void shouldKeepTheIdsOfPairedTablesApartInAnArray() {
        keepsApart(HighestIds.paired(1024, new DeviceSlots(1), DEVICES, 1), 0);
    }

    @Test
    void shouldKeepTheIdsOfPairedTablesApartInMaps() {
        keepsApart(HighestIds.paired(1024, new DeviceSlots(1), DEVICES, 3), 2);
    }

    private static void keepsApart(HighestIds[] tables, int conversation) {
        HighestIds oracle = tables[0];
        HighestIds client = tables[1];
        for (int recipient = 0; recipient < DEVICES; recipient++) {
            for (int sender = 0; sender < DEVICES; sender++) {
                oracle.put(conversation, recipient, sender, 1000 + 10 * recipient + sender);
                client.put(conversation, recipient, sender, 2000 + 10 * recipient + sender);
            }
        }
        for (int recipient = 0; recipient < DEVICES; recipient++) {
            for (int sender = 0; sender < DEVICES; sender++) {
                assertThat(oracle.get(conversation, recipient, sender)).isEqualTo(1000 + 10 * recipient + sender);
                assertThat(client.get(conversation, recipient, sender)).isEqualTo(2000 + 10 * recipient + sender);
            }
        }
    }
}
