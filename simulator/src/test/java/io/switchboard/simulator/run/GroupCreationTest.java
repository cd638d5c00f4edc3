package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Group creation before a run's workload: bounded in flight, and robust to a creator whose session closes. */
class GroupCreationTest {
    private final GroupPlan plan = new GroupPlan(7, 100, new Scenario.Groups(40, 3, 8));
    private final DeviceSlots slots = new DeviceSlots(2);
    private final GroupCreation creation = new GroupCreation(plan, slots);
    private final FakeCreators creators = new FakeCreators();

    @Test
    void shouldKeepAtMostSixteenCreatesInFlightAndFinishWhenEveryGroupExists() {
        creation.sendDue(creators, 0);
        assertThat(creators.sent).hasSize(GroupCreation.MAX_CREATING);
        while (!creators.sent.isEmpty()) {
            assertThat(creation.done()).isFalse();
            creation.result(ok(creators.sent.remove(0)));
            creation.sendDue(creators, 0);
            assertThat(creators.sent.size()).isLessThanOrEqualTo(GroupCreation.MAX_CREATING);
        }
        assertThat(creation.done()).isTrue();
        assertThat(creators.groupsSent).hasSize(40);
    }

    @Test
    void shouldSendACreateAgainWhenItsCreatorsSessionClosesAndAskWhetherTheFirstMadeTheGroup() {
        creation.sendDue(creators, 0);
        long req = creators.sent.remove(0);
        int creator = slots.slot(plan.creator((int) req - 1), 1);
        creators.offline.add(creator);

        creation.closed(creator);
        creation.sendDue(creators, 0);
        assertThat(creators.sent).as("waits for the creator to come back").hasSize(15);

        creators.offline.remove(creator);
        creation.sendDue(creators, 0);
        assertThat(creators.sent).as("the retry").last().isEqualTo(req);
        creators.sent.remove(req);
        assertThat(creation.result(new Frame()
                        .reset(FrameType.RESULT)
                        .req(req)
                        .ok(false)
                        .code(ErrorCode.FORBIDDEN)
                        .message("group exists")))
                .isFalse();

        creation.sendDue(creators, 0);
        long info = creators.sent.remove(creators.sent.size() - 1);
        assertThat(info).as("asks whether the first create made the group").isEqualTo(40 + req);
        Frame result = new Frame().reset(FrameType.RESULT).req(info).ok(true);
        for (int member : plan.members((int) req - 1)) {
            result.addMember(member + 1L);
        }
        creation.result(result);
        completeTheRest();
        assertThat(creation.done()).isTrue();
    }

    @Test
    void shouldFailWhenARepeatedCreateFindsNoGroupAsPlanned() {
        creation.sendDue(creators, 0);
        long req = creators.sent.get(0);
        creation.closed(slots.slot(plan.creator((int) req - 1), 1));
        creators.sent.clear();
        creation.sendDue(creators, 0);
        creation.result(new Frame().reset(FrameType.RESULT).req(req).ok(false).code(ErrorCode.FORBIDDEN));
        creators.sent.clear();
        creation.sendDue(creators, 0);
        Frame other = new Frame()
                .reset(FrameType.RESULT)
                .req(creators.sent.get(0))
                .ok(true)
                .addMember(1);

        assertThatThrownBy(() -> creation.result(other)).hasMessageContaining("not as planned");
    }

    private void completeTheRest() {
        creation.sendDue(creators, 0);
        while (!creators.sent.isEmpty()) {
            creation.result(ok(creators.sent.remove(0)));
            creation.sendDue(creators, 0);
        }
    }

    @Test
    void shouldFailOnARefusedFirstCreate() {
        creation.sendDue(creators, 0);
        Frame refused = new Frame()
                .reset(FrameType.RESULT)
                .req(creators.sent.get(0))
                .ok(false)
                .code(ErrorCode.FORBIDDEN);

        assertThatThrownBy(() -> creation.result(refused)).hasMessageContaining("group request refused");
    }

    private static Frame ok(long req) {
        return new Frame().reset(FrameType.RESULT).req(req).ok(true);
    }

    private static final class FakeCreators implements GroupCreation.Creators {
        final List<Long> sent = new ArrayList<>();
        final Set<Long> groupsSent = new HashSet<>();
        final Set<Integer> offline = new HashSet<>();

        @Override
        public boolean online(int device, long nowMs) {
            return !offline.contains(device);
        }

        @Override
        public void send(int device, Frame request) {
            assertThat(request.type()).isIn(FrameType.GROUP_CREATE, FrameType.GROUP_INFO);
            sent.add(request.req());
            if (request.type() == FrameType.GROUP_CREATE) {
                groupsSent.add(request.req());
            }
        }
    }
}
