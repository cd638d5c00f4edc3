package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.EnvelopeType;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import io.switchboard.simulator.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** A delivered body counts as the message its id names only when it is that message, whole. */
class DeliveryReaderTest {
    private static final int LENGTH = 100;
    private static final long INTENDED_NS = 123_456_789L;

    private final DeviceSlots slots = new DeviceSlots(1);
    private final GroupPlan noGroups = new GroupPlan(7, 4, new Scenario.Groups(0, 2, 2));
    private final Oracle oracle = new Oracle(noGroups, slots, 1024, 4);
    private final byte[] filler = Plaintext.filler(Plaintext.marker(7), LENGTH);
    private final DeliveryReader reader = new DeliveryReader(
            new PlainEnvelopes(slots, noGroups, oracle.ids()),
            oracle,
            WindowFigures.of(ScenarioLoader.load(Path.of("../scenarios/quickstart.yaml"), Map.of())),
            LENGTH);

    /** Message {@code index} from device 0 to user 1, gone on the wire: its id taken. */
    private int sentFrom0() {
        int index = oracle.sent(0, 1);
        oracle.ids().workload(0, index);
        return index;
    }

    private static Frame msg(long id, UnsafeBuffer body) {
        byte[] bytes = new byte[LENGTH];
        body.getBytes(0, bytes);
        return new Frame().reset(FrameType.MSG).id(id).addEnvelope(1, EnvelopeType.PLAIN, bytes);
    }

    private UnsafeBuffer bodyOf(int index) {
        UnsafeBuffer body = new UnsafeBuffer(new byte[LENGTH]);
        Plaintext.write(body, filler, index, INTENDED_NS, LENGTH);
        return body;
    }

    @Test
    void shouldReadTheMessageItsIdNames() {
        sentFrom0();
        int index = sentFrom0();

        assertThat(reader.read(1, 0, msg(oracle.idOf(index), bodyOf(index)))).isEqualTo(index);
        assertThat(reader.intendedNs()).isEqualTo(INTENDED_NS);
        assertThat(oracle.counts().unreadable()).isZero();
    }

    @Test
    void shouldCountAnotherMessagesBodyUnderTheIdAsUnreadable() {
        int first = sentFrom0();
        int second = sentFrom0();

        assertThat(reader.read(1, 0, msg(oracle.idOf(second), bodyOf(first)))).isEqualTo(DeliveryReader.UNREADABLE);
        assertThat(oracle.counts().unreadable()).isEqualTo(1);
    }

    @Test
    void shouldCountTheBodyOfAnotherSendersMessageUnderItsIdAsUnreadable() {
        int mine = sentFrom0();
        int fromOther = oracle.sent(2, 1);
        oracle.ids().workload(2, fromOther);
        assertThat(oracle.idOf(fromOther)).isEqualTo(oracle.idOf(mine));

        // Device 2's first message delivered as device 0's first, which went under the same id.
        assertThat(reader.read(1, 0, msg(oracle.idOf(mine), bodyOf(fromOther)))).isEqualTo(DeliveryReader.UNREADABLE);
        assertThat(oracle.counts().unreadable()).isEqualTo(1);
    }

    @Test
    void shouldCountATamperedBodyAsUnreadable() {
        int index = sentFrom0();
        UnsafeBuffer body = bodyOf(index);
        body.putByte(LENGTH - 1, (byte) (body.getByte(LENGTH - 1) ^ 1));

        assertThat(reader.read(1, 0, msg(oracle.idOf(index), body))).isEqualTo(DeliveryReader.UNREADABLE);
        assertThat(oracle.counts().unreadable()).isEqualTo(1);
    }

    @Test
    void shouldCountABodyNamingAMessageNotSentUnderTheIdAsUnreadable() {
        int index = sentFrom0();
        int unsent = oracle.sent(0, 1);

        assertThat(reader.read(1, 0, msg(oracle.idOf(index), bodyOf(unsent))))
                .as("registered, not yet on the wire")
                .isEqualTo(DeliveryReader.UNREADABLE);
        assertThat(reader.read(1, 0, msg(oracle.idOf(index), bodyOf(unsent + 1))))
                .as("never registered")
                .isEqualTo(DeliveryReader.UNREADABLE);
        assertThat(oracle.counts().unreadable()).isEqualTo(2);
    }

    @Test
    void shouldCountABodyNamingAnIndexPastAnIntAsUnreadable() {
        int index = sentFrom0();
        UnsafeBuffer body = bodyOf(index);
        body.putLong(0, (1L << 32) + index);
        Plaintext.sign(body, LENGTH);

        assertThat(reader.read(1, 0, msg(oracle.idOf(index), body))).isEqualTo(DeliveryReader.UNREADABLE);
        assertThat(oracle.counts().unreadable()).isEqualTo(1);
    }
}
