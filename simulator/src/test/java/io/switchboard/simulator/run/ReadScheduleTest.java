package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import io.switchboard.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reads are written when due, and none once the end barrier started: the read receipt of a read written then could
 * reach the sender's owner after the server was asked what it holds, and the oracle would count it missing.
 */
class ReadScheduleTest {
    private static final int SENDER = 0;
    private static final int READER = 1;

    private final DeviceSlots slots = new DeviceSlots(1);
    private final GroupPlan noGroups = new GroupPlan(7, 4, new Scenario.Groups(0, 2, 2));
    private final Oracle oracle = new Oracle(noGroups, slots, 1024, 4);
    private final List<String> written = new ArrayList<>();
    private final ReadSchedule.Readers readers = new ReadSchedule.Readers() {
        @Override
        public int writableDevice(int user) {
            return user;
        }

        @Override
        public void send(int device, Frame frame) {
            written.add(device + ":" + frame.type() + ":" + frame.ids().getLong(0));
        }
    };

    private ReadSchedule schedule(String readDelay) {
        Scenario scenario = ScenarioLoader.load(
                Path.of("../scenarios/quickstart.yaml"),
                Map.of("messages.readShare", "1", "messages.readDelay", readDelay));
        return new ReadSchedule(scenario, slots, oracle, readers);
    }

    /** Message {@code index} from the sender to the reader, delivered to the reader's device. */
    private int delivered() {
        int index = oracle.sent(SENDER, READER);
        oracle.ids().workload(SENDER, index);
        oracle.acked(index);
        oracle.delivered(index, READER, SENDER, oracle.idOf(index), false);
        return index;
    }

    private String read(int index) {
        return READER + ":" + FrameType.READ + ":" + oracle.idOf(index);
    }

    @Test
    void shouldWriteNoReadOnceStoppedWhenReadsAreImmediate() {
        ReadSchedule reads = schedule("0s");
        int before = delivered();
        reads.delivered(before, READER, 0);
        assertThat(written).containsExactly(read(before));
        assertThat(oracle.missingReceipt(before, ReceiptKind.READ)).isTrue();

        reads.stop();
        int after = delivered();
        reads.delivered(after, READER, 0);
        reads.due(60_000);

        assertThat(written).as("only the read written before the barrier").containsExactly(read(before));
        assertThat(oracle.missingReceipt(after, ReceiptKind.READ))
                .as("no read receipt owed for a message not read")
                .isFalse();
    }

    @Test
    void shouldWriteNoReadStillDueOnceStopped() {
        ReadSchedule reads = schedule("100ms");
        int early = delivered();
        int late = delivered();
        reads.delivered(early, READER, 0);
        reads.delivered(late, READER, 0);
        reads.due(0);
        assertThat(written).as("not due yet").isEmpty();
        reads.due(60_000);
        assertThat(written).containsExactlyInAnyOrder(read(early), read(late));

        int pending = delivered();
        reads.delivered(pending, READER, 60_000);
        reads.stop();
        reads.due(120_000);

        assertThat(written)
                .as("the read due after the barrier started stays unwritten")
                .hasSize(2);
        assertThat(oracle.missingReceipt(pending, ReceiptKind.READ)).isFalse();
    }
}
