package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The owner's ring of unread entries against a plain map and list through many adds and removes, oldest first and from
 * anywhere, so that its growth, its compactions and its index's rebuilds are all crossed many times, with lookups of
 * live and absent entries between them.
 */
class UnreadRingTest {
    private record Key(long user, long sender, long id) {}

    /** What an entry keeps besides its key: the group flag shares the time's long, so both are checked. */
    private record Entry(long ts, boolean group, int cycle) {}

    /** In one chunk as rings of up to 524,288 places are, and in chunks of 256 and of 4 as larger rings are. */
    @ParameterizedTest
    @ValueSource(ints = {UnreadRing.CHUNK_PLACES, 256, 4})
    void shouldFindExactlyTheLiveEntriesInTheOrderTheyCameThroughGrowthAndCompactions(int chunkPlaces) {
        int maxEntries = 3_000;
        Random random = new Random(16);
        // A fixed seed, and users and senders drawn from small ranges: many keys share low hash bits and probe runs.
        UnreadRing ring = new UnreadRing(maxEntries, 0, chunkPlaces);
        Map<Key, Entry> live = new HashMap<>();
        List<Key> order = new ArrayList<>();
        long nextId = 0;
        for (int step = 0; step < 300_000; step++) {
            int what = random.nextInt(8);
            if (what < 4 && live.size() < maxEntries) {
                Key key = new Key(1 + random.nextInt(4), 1 + random.nextInt(8), ++nextId);
                Entry entry = new Entry(nextId, random.nextBoolean(), random.nextInt(1_000));
                ring.add(key.user(), key.sender(), key.id(), entry.ts(), entry.cycle(), entry.group(), live.size());
                live.put(key, entry);
                order.add(key);
            } else if (what < 4) {
                Key oldest = order.remove(0);
                long head = ring.head();
                assertThat(new Key(ring.user(head), ring.sender(head), ring.id(head)))
                        .as("the oldest position holds the oldest live entry")
                        .isEqualTo(oldest);
                ring.remove(head);
                live.remove(oldest);
            } else if (what < 7 && !order.isEmpty()) {
                // A read of a live entry, from anywhere in the ring: it leaves a hole there.
                Key key = order.remove(random.nextInt(order.size()));
                long position = ring.find(key.user(), key.sender(), key.id());
                assertThat(position).as("step %d: %s", step, key).isNotNegative();
                assertThat(entry(ring, position)).isEqualTo(live.remove(key));
                ring.remove(position);
            } else {
                Key absent =
                        new Key(1 + random.nextInt(4), 1 + random.nextInt(8), 1 + random.nextInt((int) nextId + 1));
                assertThat(ring.find(absent.user(), absent.sender(), absent.id()) >= 0)
                        .as("step %d: %s", step, absent)
                        .isEqualTo(live.containsKey(absent));
            }
            assertThat(ring.capacity()).isLessThanOrEqualTo(4_096);
        }
        assertThat(ring.moves()).as("compactions were crossed").isPositive();
        List<Key> walked = new ArrayList<>();
        for (long position = ring.head(); position < ring.tail(); position++) {
            if (ring.live(position)) {
                walked.add(new Key(ring.user(position), ring.sender(position), ring.id(position)));
            }
        }
        assertThat(walked).as("in the order they came").isEqualTo(order);
        for (Map.Entry<Key, Entry> entry : live.entrySet()) {
            Key key = entry.getKey();
            long position = ring.find(key.user(), key.sender(), key.id());
            assertThat(position).isNotNegative();
            assertThat(entry(ring, position)).isEqualTo(entry.getValue());
        }
    }

    /**
     * A ring of several chunks grows by moving them: whichever place in its chunk the oldest entry is at, every entry
     * keeps its order and is found where it now is, and the places a growth leaves are filled as if new.
     */
    @Test
    void shouldKeepEveryEntryWhenAChunkedRingGrowsWhereverItsOldestEntryIs() {
        int chunkPlaces = 8;
        for (int oldest = 0; oldest < 2 * chunkPlaces; oldest++) {
            UnreadRing ring = new UnreadRing(1_000_000, oldest, chunkPlaces);
            List<Long> ids = new ArrayList<>();
            long nextId = 0;
            for (int i = 0; i < oldest; i++) {
                ring.add(1, 2, ++nextId, nextId, 0, false, 0);
                ring.remove(ring.head());
            }
            int first = UnreadRing.INITIAL_CAPACITY;
            for (int i = 0; i < 2 * first + 3; i++) {
                ring.add(1, 2, ++nextId, nextId, (int) nextId, nextId % 2 == 0, ids.size());
                ids.add(nextId);
            }
            assertThat(ring.capacity()).isEqualTo(4 * first);
            List<Long> walked = new ArrayList<>();
            for (long position = ring.head(); position < ring.tail(); position++) {
                assertThat(ring.live(position)).isTrue();
                assertThat(entry(ring, position))
                        .isEqualTo(new Entry(ring.id(position), ring.id(position) % 2 == 0, (int) ring.id(position)));
                walked.add(ring.id(position));
            }
            assertThat(walked).as("oldest at %d in its chunk", oldest).isEqualTo(ids);
            for (int i = 0; i < ids.size(); i++) {
                assertThat(ring.find(1, 2, ids.get(i))).isEqualTo(ring.head() + i);
            }
        }
    }

    /** A ring never looked up in builds no index, and grows only while more than half of it is live. */
    @Test
    void shouldCompactRatherThanGrowWhenMostOfItWasRemoved() {
        UnreadRing ring = new UnreadRing(1_000_000, 7);
        int first = UnreadRing.INITIAL_CAPACITY;
        for (int id = 1; id <= first; id++) {
            ring.add(9, 1, id, id, 3, false, id - 1);
        }
        for (long position = ring.head() + 1; position < ring.tail(); position += 2) {
            ring.remove(position);
        }
        ring.add(9, 1, first + 1, first + 1, 3, false, first / 2);

        assertThat(ring.capacity()).as("half was live: compacted in place").isEqualTo(first);
        assertThat(ring.moves()).isOne();
        assertThat(ring.tail() - ring.head()).isEqualTo(first / 2 + 1);
        assertThat(ring.find(9, 1, 3)).as("moved, and found where it went").isEqualTo(ring.head() + 1);
        assertThat(ring.find(9, 1, 2)).isNegative();
    }

    private static Entry entry(UnreadRing ring, long position) {
        return new Entry(ring.ts(position), ring.group(position), ring.cycle(position));
    }
}
