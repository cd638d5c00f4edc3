package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The groups, the contacts and the arrival schedule are functions of the seed alone. */
class WorkloadDeterminismTest {
    private static final Scenario.Groups GROUPS = new Scenario.Groups(50, 3, 1024);
    private static final Scenario.Curve FLAT = new Scenario.Curve(Duration.ZERO, 0, Duration.ofMinutes(1));
    private static final Scenario.Messages MESSAGES =
            new Scenario.Messages(1000, 100, 100, 0.5, Duration.ZERO, 0.3, 0.0, 0.0, 102400, 102400);

    @Test
    void shouldDrawTheSameGroupsFromTheSameSeed() {
        GroupPlan one = new GroupPlan(42, 5000, GROUPS);
        GroupPlan two = new GroupPlan(42, 5000, GROUPS);
        GroupPlan other = new GroupPlan(43, 5000, GROUPS);
        boolean differs = false;
        for (int g = 0; g < GROUPS.count(); g++) {
            assertThat(two.members(g)).isEqualTo(one.members(g));
            assertThat(two.creator(g)).isEqualTo(one.creator(g));
            differs |= !Arrays.equals(one.members(g), other.members(g));
        }
        assertThat(differs).as("another seed, other groups").isTrue();
    }

    @Test
    void shouldDrawDistinctSortedMembersWithinTheSizeRangeAndACreatorAmongThem() {
        GroupPlan plan = new GroupPlan(7, 5000, GROUPS);
        for (int g = 0; g < plan.count(); g++) {
            int[] members = plan.members(g);
            assertThat(members.length).isBetween(3, 1024);
            assertThat(members).isSorted().doesNotHaveDuplicates();
            assertThat(plan.position(g, plan.creator(g))).isNotNegative();
            assertThat(plan.id(g)).matches("[A-Za-z0-9._-]{1,64}");
        }
        // Log-uniform: most groups are small, a few large.
        assertThat(plan.memberships() / plan.count()).isLessThan(512);
        assertThat(plan.largest()).isGreaterThan(100);
    }

    @Test
    void shouldDrawTheSameArrivalsFromTheSameSeedWithTheGroupShare() {
        Arrivals one = new Arrivals(42, 4999, MESSAGES, FLAT, GROUPS.count());
        Arrivals two = new Arrivals(42, 4999, MESSAGES, FLAT, GROUPS.count());
        int toGroups = 0;
        int draws = 20_000;
        for (int i = 0; i < draws; i++) {
            one.next(5000, 0);
            two.next(5000, 0);
            assertThat(new long[] {two.group, two.senderDraw, two.recipientDraw, two.gapNs, two.member(3, 100)})
                    .isEqualTo(
                            new long[] {one.group, one.senderDraw, one.recipientDraw, one.gapNs, one.member(3, 100)});
            toGroups += one.group >= 0 ? 1 : 0;
        }
        assertThat(toGroups / (double) draws).isBetween(0.28, 0.32);
    }

    /** Without groups, the draws are those of the one-to-one workload before groups: reference runs stay valid. */
    @Test
    void shouldKeepTheOneToOneArrivalsOfAScenarioWithoutGroups() {
        Arrivals withoutGroups = new Arrivals(42, 4999, MESSAGES, FLAT, 0);
        SplittableRandom before = new SplittableRandom(42);
        double meanGapNs = 1e9 / MESSAGES.ratePerSecond();
        for (int i = 0; i < 1000; i++) {
            withoutGroups.next(5000, i * 1_000_000L);
            assertThat(withoutGroups.group).isEqualTo(-1);
            assertThat(withoutGroups.senderDraw).isEqualTo(before.nextInt(5000));
            assertThat(withoutGroups.recipientDraw).isEqualTo(before.nextInt(4999));
            assertThat(withoutGroups.gapNs).isEqualTo((long) (-Math.log(1 - before.nextDouble()) * meanGapNs));
        }
    }

    @Test
    void shouldDrawTheSameContactsFromTheSameSeedNeverTheUserItselfAndAFewUsersInManyContacts() {
        Scenario.Contacts perUser20 = new Scenario.Contacts(20, 1.0);
        ContactGraph one = new ContactGraph(42, 10_000, perUser20);
        ContactGraph two = new ContactGraph(42, 10_000, perUser20);
        int[] inDegree = new int[10_000];
        for (int user = 0; user < 10_000; user++) {
            for (int j = 0; j < 20; j++) {
                int contact = one.contact(user, j);
                assertThat(contact)
                        .isEqualTo(two.contact(user, j))
                        .isNotEqualTo(user)
                        .isBetween(0, 9_999);
                inDegree[contact]++;
            }
        }
        Arrays.sort(inDegree);
        long top100 = 0;
        for (int i = 0; i < 100; i++) {
            top100 += inDegree[inDegree.length - 1 - i];
        }
        // With exponent 1 the top 1% of ranks hold about ln(100)/ln(10,000) = half of all contacts; uniform: 1%.
        assertThat(top100 / 200_000.0).isBetween(0.35, 0.65);
        assertThat(new ContactGraph(43, 10_000, perUser20).contact(5, 3)).isNotNegative();
    }

    @Test
    void shouldRampTheRateUpAndSwingItDiurnally() {
        Scenario.Curve curve = new Scenario.Curve(Duration.ofSeconds(10), 0.5, Duration.ofSeconds(40));
        assertThat(curve.factorAt(0)).isZero();
        assertThat(curve.factorAt(5_000_000_000L)).isCloseTo(0.5 * (1 + 0.5 * Math.sin(Math.PI / 4)), within(1e-9));
        assertThat(curve.factorAt(30_000_000_000L)).isCloseTo(0.5, within(1e-9)); // the trough: 1 − 0.5
        Arrivals ramped = new Arrivals(42, 4999, MESSAGES, curve, 0);
        Arrivals flat = new Arrivals(42, 4999, MESSAGES, FLAT, 0);
        ramped.next(5000, 1_000_000_000L); // a tenth of the way up, near the crest's start: a longer gap
        flat.next(5000, 1_000_000_000L);
        assertThat(ramped.gapNs).isGreaterThan(5 * flat.gapNs);
    }

    /**
     * Slots are dense and adjacent per user; with one device per user a slot is the user index, so the churn schedule
     * and the sender draws, which are functions of the slot, are those users had before devices.
     */
    @Test
    void shouldNumberDevicesDenselyAndKeepTheUserIndexAsTheSlotWithOneDevice() {
        DeviceSlots one = new DeviceSlots(1);
        DeviceSlots four = new DeviceSlots(4);
        for (int user = 0; user < 1000; user++) {
            assertThat(one.slot(user, 1)).isEqualTo(user);
            for (int device = 1; device <= 4; device++) {
                int slot = four.slot(user, device);
                assertThat(slot).isBetween(4 * user, 4 * user + 3);
                assertThat(four.user(slot)).isEqualTo(user);
                assertThat(four.device(slot)).isEqualTo(device);
            }
        }
        assertThat(new DeviceSlots(8).count(1_000_000)).isLessThanOrEqualTo(1 << DeviceSlots.SLOT_BITS);
    }
}
