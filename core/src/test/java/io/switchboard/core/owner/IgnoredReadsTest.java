package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.message.SenderKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reads kept are the last ones, oldest first, and no more than the capacity. */
class IgnoredReadsTest {
    private final IgnoredReads reads = new IgnoredReads();

    @Test
    void shouldKeepTheLastReadsOldestFirst() {
        assertThat(visited()).isEmpty();
        reads.add(99, SenderKey.of(42, 3), 7);
        reads.add(98, SenderKey.of(41, 1), 8);

        assertThat(visited()).containsExactly("99 read 42/3 id 7", "98 read 41/1 id 8");
    }

    @Test
    void shouldForgetTheOldestPastTheCapacity() {
        for (long id = 1; id <= IgnoredReads.CAPACITY + 2; id++) {
            reads.add(99, SenderKey.of(42, 1), id);
        }

        List<String> visited = visited();
        assertThat(visited).hasSize(IgnoredReads.CAPACITY);
        assertThat(visited.get(0)).isEqualTo("99 read 42/1 id 3");
        assertThat(visited.get(IgnoredReads.CAPACITY - 1)).isEqualTo("99 read 42/1 id " + (IgnoredReads.CAPACITY + 2));
    }

    private List<String> visited() {
        IgnoredReadLines visited = new IgnoredReadLines();
        reads.visit(visited);
        return visited.lines();
    }
}
