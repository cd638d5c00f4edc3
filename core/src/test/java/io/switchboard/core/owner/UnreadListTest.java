package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The unread list against a plain map through many adds and removes, in and out of order, so that removed entries
 * left in its index, its compaction and its growth are all crossed many times.
 */
class UnreadListTest {
    private record Key(long sender, long id) {}

    /** What an entry keeps besides its key: the group flag shares the time's long, so both are checked. */
    private record Entry(long ts, boolean group, int cycle) {}

    @Test
    void shouldFindExactlyTheLiveEntriesThroughRandomAddsRemovesCompactionsAndGrowth() {
        Random random = new Random(16);
        // A fixed seed, and senders and ids drawn from small ranges: many keys share low hash bits and probe runs.
        UnreadList list = new UnreadList(0);
        Map<Key, Entry> live = new HashMap<>();
        List<Key> order = new ArrayList<>();
        long ts = 0;
        for (int step = 0; step < 200_000; step++) {
            Key key = new Key(1 + random.nextInt(8), 1 + random.nextInt(2_000));
            int slot = list.find(key.sender(), key.id());
            assertThat(slot >= 0).as("step %d: %s", step, key).isEqualTo(live.containsKey(key));
            if (slot >= 0) {
                assertThat(entry(list, slot)).isEqualTo(live.get(key));
                if (random.nextBoolean()) {
                    list.remove(slot);
                    live.remove(key);
                    order.remove(key);
                }
            } else if (live.size() < 1_500) {
                Entry entry = new Entry(++ts, random.nextBoolean(), random.nextInt(1_000));
                list.add(key.sender(), key.id(), entry.ts(), entry.cycle(), entry.group());
                live.put(key, entry);
                order.add(key);
            } else {
                Key oldest = order.remove(0);
                assertThat(list.id(list.oldest())).isEqualTo(oldest.id());
                assertThat(list.sender(list.oldest())).isEqualTo(oldest.sender());
                list.remove(list.oldest());
                live.remove(oldest);
            }
            assertThat(list.size()).isEqualTo(live.size());
        }
        for (Map.Entry<Key, Entry> entry : live.entrySet()) {
            int slot = list.find(entry.getKey().sender(), entry.getKey().id());
            assertThat(slot).isNotNegative();
            assertThat(entry(list, slot)).isEqualTo(entry.getValue());
        }
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void shouldKeepFindingWhenAReaderEmptiesItsListAfterEveryMessage() {
        // Each removal leaves its place in the index: a list emptied as often must compact, not fill its index.
        UnreadList list = new UnreadList(0);
        for (long id = 1; id <= 100_000; id++) {
            list.add(7, id, id, 1, false);
            assertThat(list.find(7, id - 1)).isNegative();
            int slot = list.find(7, id);
            assertThat(slot).isEqualTo(list.oldest());
            list.remove(slot);
            assertThat(list.size()).isZero();
        }
    }

    @Test
    void shouldFindWhatWasAddedSinceTheLastLookupThroughCompactionsAndGrowth() {
        // The index is filled by lookups: adds and removals of the oldest, with no lookup between, cross compactions
        // and growths before the rounds' lookups find exactly the live entries.
        UnreadList list = new UnreadList(0);
        long oldest = 1;
        long next = 1;
        for (int round = 1; round <= 20; round++) {
            for (int i = 0; i < 700 * round; i++) {
                list.add(3, next, next, 2, false);
                next++;
                if (list.size() > 100 * round) {
                    assertThat(list.id(list.oldest())).isEqualTo(oldest);
                    list.remove(list.oldest());
                    oldest++;
                }
            }
            for (long id = Math.max(1, oldest - 1_000); id < next; id++) {
                assertThat(list.find(3, id) >= 0)
                        .as("round %d, id %d", round, id)
                        .isEqualTo(id >= oldest);
            }
        }
        assertThat(list.size()).isEqualTo(2_000);
    }

    private static Entry entry(UnreadList list, int slot) {
        return new Entry(list.ts(slot), list.group(slot), list.cycle(slot));
    }
}
