package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The owner's ring of unread references: it compacts only when that frees room, and keeps the order entries came in. */
class UnreadArrivalsTest {
    private static final int FIRST = UnreadArrivals.INITIAL_CAPACITY;

    private int asked;

    /** The newest quarter of {@code 4 * FIRST} references is unread; the rest were read. */
    private boolean unread(long user, long sender, long id) {
        asked++;
        return id > 3L * FIRST;
    }

    @Test
    void shouldGrowWithoutLookingUpEveryEntryWhileLessThanHalfWentStale() {
        UnreadArrivals ring = new UnreadArrivals(1_000_000);
        for (long id = 1; id <= 4L * FIRST; id++) {
            ring.add(7, 9, id, this::unread);
        }

        assertThat(asked).as("lookups while nothing was read").isZero();
        assertThat(ring.capacity()).isEqualTo(4 * FIRST);

        for (int read = 0; read < 3 * FIRST; read++) {
            ring.staled();
        }
        ring.add(7, 9, 4L * FIRST + 1, this::unread);

        assertThat(asked)
                .as("a full ring three quarters stale compacts, asking of each reference")
                .isEqualTo(4 * FIRST);
        assertThat(ring.size()).isEqualTo(FIRST + 1);
        assertThat(ring.oldestId()).isEqualTo(3L * FIRST + 1);
        assertThat(ring.capacity())
                .as("a compaction that freed three quarters does not grow")
                .isEqualTo(4 * FIRST);
    }
}
