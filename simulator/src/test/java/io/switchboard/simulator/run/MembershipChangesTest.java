package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.ErrorCode;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.simulator.net.VirtualClients;
import io.switchboard.simulator.scenario.Scenario;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Membership changes: seeded, serialized with their group's messages, and robust to an actor whose session closes. */
class MembershipChangesTest {
    private static final long SECOND_NS = 1_000_000_000L;
    private static final Scenario.Groups GROUPS = new Scenario.Groups(5, 3, 8, 20);

    /** One device per user, its slot the user's index; offline users' devices are listed. */
    private static final class FakeActors implements MembershipChanges.Actors {
        final Set<Integer> offline = new HashSet<>();
        final List<Frame> sent = new ArrayList<>();
        final List<Integer> from = new ArrayList<>();
        final List<String> gone = new ArrayList<>();

        @Override
        public int onlineDevice(int user, long nowMs) {
            return offline.contains(user) ? -1 : user;
        }

        @Override
        public void sendChange(int device, Frame request) {
            Frame copy = new Frame()
                    .reset(request.type())
                    .req(request.req())
                    .group(request.group().toString());
            request.members().forEachOrderedLong(copy::addMember);
            sent.add(copy);
            from.add(device);
        }

        @Override
        public void leaving(int group, int member) {
            gone.add(group + ":" + member);
        }
    }

    /** One group of three among 50 users, changing a thousand times a second. */
    private final GroupPlan plan = new GroupPlan(7, 50, new Scenario.Groups(1, 3, 3));

    private final MembershipChanges changes = new MembershipChanges(7, 1000, plan, 50, 8);
    private final FakeActors actors = new FakeActors();

    private static Frame ok(long req) {
        return new Frame().reset(FrameType.RESULT).req(req).ok(true);
    }

    /** Runs ten seconds of changes, every request answered at once; returns "group type member@device" per change. */
    private static List<String> tenSeconds(long seed) {
        GroupPlan plan = new GroupPlan(seed, 50, GROUPS);
        MembershipChanges changes = new MembershipChanges(seed, GROUPS.changesPerSecond(), plan, 50, 8);
        FakeActors actors = new FakeActors();
        changes.start(0);
        List<String> made = new ArrayList<>();
        for (long now = 0; now < 10 * SECOND_NS; now += SECOND_NS / 100) {
            changes.sendDue(now, 10 * SECOND_NS, now / 1_000_000, actors);
            for (int i = 0; i < actors.sent.size(); i++) {
                Frame request = actors.sent.get(i);
                int group = Integer.parseInt(request.group().toString().substring(1));
                int creator = plan.creator(group);
                int actor = actors.from.get(i);
                if (request.type() == FrameType.GROUP_LEAVE) {
                    assertThat(actor).isNotEqualTo(creator);
                    assertThat(actors.gone).contains(group + ":" + actor);
                } else {
                    assertThat(actor).isEqualTo(creator);
                    assertThat(request.members().getLong(0)).isNotEqualTo(VirtualClients.userOf(creator));
                }
                made.add(request.group() + " " + request.type() + " " + request.members() + "@" + actor);
                changes.result(ok(request.req()));
            }
            actors.sent.clear();
            actors.from.clear();
        }
        MembershipChanges.Figures figures = changes.figures();
        assertThat(figures.added()).isPositive();
        assertThat(figures.removed()).isPositive();
        assertThat(figures.left()).isPositive();
        assertThat(figures.added() + figures.removed() + figures.left()).isEqualTo(made.size());
        assertThat(made.size() + figures.skipped()).as("about 20 a second").isBetween(150L, 250L);
        for (int g = 0; g < plan.count(); g++) {
            assertThat(plan.members(g))
                    .contains(plan.creator(g))
                    .hasSizeBetween(2, 8)
                    .doesNotHaveDuplicates()
                    .isSorted();
        }
        return made;
    }

    @Test
    void shouldMakeTheSameChangesFromTheSameSeed() {
        List<String> first = tenSeconds(42);
        assertThat(first).isNotEmpty();
        assertThat(tenSeconds(42)).isEqualTo(first);
        assertThat(tenSeconds(43)).isNotEqualTo(first);
    }

    @Test
    void shouldHoldTheGroupAndSendTheChangeOnlyOnceItsMessagesAreAnsweredThenApplyIt() {
        changes.sent(0);
        changes.start(0);
        changes.sendDue(SECOND_NS / 10, Long.MAX_VALUE, 100, actors);
        assertThat(changes.holds(0)).as("a change is due: no new messages").isTrue();
        assertThat(actors.sent).as("a message is in flight").isEmpty();

        changes.answered(0);
        changes.sendDue(SECOND_NS / 10, Long.MAX_VALUE, 100, actors);
        assertThat(actors.sent).hasSize(1);
        Frame request = actors.sent.get(0);
        assertThat(changes.owns(request.req())).isTrue();
        assertThat(plan.members(0)).hasSize(3);
        changes.result(ok(request.req()));
        assertThat(plan.members(0).length).as("one member more or fewer").isIn(2, 4);
        assertThat(plan.versionMembers(0))
                .as("the version earlier messages belong to")
                .hasSize(3);
    }

    @Test
    void shouldAskGroupInfoWhenTheActorsSessionClosesAndContinueFromTheAnswer() {
        changes.start(0);
        changes.sendDue(SECOND_NS / 10, SECOND_NS / 10, 100, actors);
        Frame first = actors.sent.remove(0);
        int actor = actors.from.remove(0);
        int creator = plan.creator(0);
        actors.offline.add(creator);

        changes.closed(actor);
        changes.sendDue(SECOND_NS / 10, SECOND_NS / 10, 100, actors);
        assertThat(actors.sent).as("waits for the creator, who asks").isEmpty();
        assertThat(changes.holds(0)).isTrue();

        actors.offline.remove(creator);
        changes.sendDue(SECOND_NS / 10, SECOND_NS / 10, 100, actors);
        Frame info = actors.sent.remove(0);
        assertThat(info.type()).isEqualTo(FrameType.GROUP_INFO);
        assertThat(actors.from.remove(0)).isEqualTo(creator);
        Frame notApplied = ok(info.req());
        for (int m : plan.members(0)) {
            notApplied.addMember(VirtualClients.userOf(m));
        }
        changes.result(notApplied);
        assertThat(plan.members(0)).as("the server says nothing changed").hasSize(3);
        changes.sendDue(SECOND_NS / 10, SECOND_NS / 10, 100, actors);
        assertThat(actors.sent)
                .as("a change not applied goes again: a remove or leave because its member is already waived, an add"
                        + " because it may only be waiting for the joining user's owner")
                .hasSize(1);
        Frame again = actors.sent.get(0);
        assertThat(again.type()).isEqualTo(first.type());
        assertThat(again.members()).isEqualTo(first.members());
        changes.result(ok(again.req()));
        assertThat(plan.members(0)).hasSize(first.type() == FrameType.GROUP_ADD ? 4 : 2);
    }

    @Test
    void shouldSendAnAddAgainWhileAnotherAddOfTheGroupIsStillJoining() {
        changes.start(0);
        for (long now = SECOND_NS / 10;
                actors.sent.isEmpty() || actors.sent.get(0).type() != FrameType.GROUP_ADD; ) {
            if (!actors.sent.isEmpty()) {
                changes.result(ok(actors.sent.remove(0).req()));
                actors.from.remove(0);
            }
            now += SECOND_NS / 10;
            changes.sendDue(now, Long.MAX_VALUE, now / 1_000_000, actors);
        }
        Frame add = actors.sent.remove(0);
        int before = plan.members(groupOf(add)).length;

        changes.result(
                new Frame().reset(FrameType.RESULT).req(add.req()).ok(false).code(ErrorCode.UNAVAILABLE));
        changes.sendDue(Long.MAX_VALUE - 1, 0, 0, actors);
        assertThat(actors.sent).as("tried again").hasSize(1);
        changes.result(ok(actors.sent.get(0).req()));
        assertThat(plan.members(groupOf(add))).hasSize(before + 1);
    }

    private int groupOf(Frame request) {
        for (int g = 0; g < plan.count(); g++) {
            if (plan.id(g).equals(request.group().toString())) {
                return g;
            }
        }
        throw new AssertionError("no group " + request.group());
    }
}
