package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.net.DeviceSlots;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deliveries come back in the order they were added, each once, whole at the edges of their fields. */
class DeliveryLogTest {
    private record Entry(int recipient, int sender, long id, boolean flag) {}

    private final List<Entry> replayed = new ArrayList<>();
    private final DeliveryLog.Delivery collect =
            (recipient, sender, id, flag) -> replayed.add(new Entry(recipient, sender, id, flag));

    @Test
    void shouldReplayEachDeliveryOnceInOrderAcrossGrowth() {
        DeliveryLog log = new DeliveryLog(4, new DeviceSlots(1));
        List<Entry> added = new ArrayList<>();
        added.add(new Entry(DeliveryLog.MAX_DEVICES - 1, 0, Integer.MAX_VALUE, true));
        added.add(new Entry(0, DeliveryLog.MAX_DEVICES - 1, 1, false));
        for (int i = 0; i < 100; i++) {
            added.add(new Entry(i % 7, i % 5, 1000 + i, i % 3 == 0));
        }
        for (Entry entry : added.subList(0, 50)) {
            log.add(entry.recipient(), entry.sender(), entry.id(), entry.flag());
        }
        log.replay(collect);
        for (Entry entry : added.subList(50, added.size())) {
            log.add(entry.recipient(), entry.sender(), entry.id(), entry.flag());
        }
        log.replay(collect);
        log.replay(collect);

        assertThat(replayed).containsExactlyElementsOf(added);
    }
}
