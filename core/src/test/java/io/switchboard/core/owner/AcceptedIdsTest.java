package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AcceptedIdsTest {
    private static final long SENDER = 42;

    /** check() and admit() only read the window; the answers they write are not under test here. */
    private final AcceptedIds ids = new AcceptedIds(null, null, null);

    @Test
    void shouldTellRepeatsFromNewIdsWithinTheWindowAndRefuseBelowIt() {
        ids.accept(SENDER, 1000);
        ids.accept(SENDER, 990);

        assertThat(ids.check(SENDER, 1000)).isEqualTo(AcceptedIds.REPEAT);
        assertThat(ids.check(SENDER, 990)).isEqualTo(AcceptedIds.REPEAT);
        assertThat(ids.check(SENDER, 999)).isEqualTo(AcceptedIds.NEW);
        assertThat(ids.check(SENDER, 1000 - AcceptedIds.WINDOW)).isEqualTo(AcceptedIds.NEW);
        assertThat(ids.check(SENDER, 999 - AcceptedIds.WINDOW)).isEqualTo(AcceptedIds.TOO_OLD);
        assertThat(ids.check(SENDER, 1001)).isEqualTo(AcceptedIds.NEW);
        assertThat(ids.check(SENDER + 1, 1)).isEqualTo(AcceptedIds.NEW);
        assertThat(ids.highest(SENDER)).isEqualTo(1000);
    }

    /** Against a set of every accepted id: random gaps, repeats and late ids, as crossing sends and replays give. */
    @Test
    void shouldAgreeWithASetOfEveryAcceptedId() {
        Random random = new Random(7);
        TreeSet<Long> accepted = new TreeSet<>();
        long next = 1;
        for (int i = 0; i < 200_000; i++) {
            long id = random.nextInt(4) == 0 && !accepted.isEmpty()
                    ? Math.max(1, accepted.last() - random.nextInt(3 * AcceptedIds.WINDOW))
                    : (next += 1 + (random.nextBoolean() ? 0 : random.nextInt(2 * AcceptedIds.WINDOW)));
            int expected = expected(accepted, id);
            assertThat(ids.check(SENDER, id)).as("id %d after %d ids", id, i).isEqualTo(expected);
            if (expected == AcceptedIds.NEW) {
                ids.accept(SENDER, id);
                accepted.add(id);
            }
        }
    }

    private static int expected(TreeSet<Long> accepted, long id) {
        if (accepted.isEmpty() || id > accepted.last()) {
            return AcceptedIds.NEW;
        }
        if (accepted.last() - id > AcceptedIds.WINDOW) {
            return AcceptedIds.TOO_OLD;
        }
        return accepted.contains(id) ? AcceptedIds.REPEAT : AcceptedIds.NEW;
    }
}
