package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.config.RouterContext;
import io.switchboard.core.journal.Journal;
import io.switchboard.core.journal.NoJournal;
import io.switchboard.core.metrics.CounterSet;
import io.switchboard.core.metrics.ShardCounter;
import io.switchboard.core.owner.RecordingOutbound.Receipt;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.testing.TestSend;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;

/**
 * The owner-wide bound on unread messages ({@code router.maxUnreadBytes}, an owner's share of it in entries): past it
 * the owner forgets its oldest unread message, whoever it was delivered to, as the per-user bound forgets a user's.
 */
class UnreadBudgetTest {
    private static final long ALICE = 1;
    private static final long ALICE_CONN = 10;
    /** Recipients are users 100, 101, ..., each with device 1 online on connection 1000 + user. */
    private static final long FIRST_READER = 100;

    private final RecordingOutbound out = new RecordingOutbound();
    private final CachedEpochClock clock = new CachedEpochClock();
    private final CounterSet<ShardCounter> counters = CounterSet.standalone("test", ShardCounter.class);
    /** Unread holds: journal holds taken, less those released or ended by a read. */
    private long holds;

    private Owner owner;

    /**
     * An owner that keeps at most {@code maxUnread} unread messages, over a journal that keeps nothing but counts holds,
     * with Alice and {@code readers} readers online.
     */
    private void start(int maxUnread, int readers) {
        clock.update(1_000);
        Journal counting = (Journal) Proxy.newProxyInstance(
                Journal.class.getClassLoader(), new Class<?>[] {Journal.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "hold" -> holds++;
                        case "released", "read" -> holds--;
                        default -> {}
                    }
                    return method.invoke(NoJournal.INSTANCE, args);
                });
        owner = new Owner(
                TestRules.of(
                        // Nothing is acknowledged here: every message is written to its reader at once.
                        100_000, 100, RouterContext.MAX_UNREAD_PER_USER_DEFAULT, maxUnread, Long.MAX_VALUE / 2),
                new OwnerWiring(
                        user -> 1L << 1,
                        new MemoryMessageStore(100_000, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4),
                        out,
                        (senderUser, senderDevice, id, recipientUser, kind, ts, group) ->
                                owner.receipt(senderUser, senderDevice, id, recipientUser, kind, ts, group),
                        clock,
                        counters,
                        counting,
                        SoloPeers.INSTANCE,
                        PushTrigger.NONE));
        owner.open(ALICE, 1, ALICE_CONN, false);
        for (long reader = FIRST_READER; reader < FIRST_READER + readers; reader++) {
            owner.open(reader, 1, 1000 + reader, false);
        }
        out.take();
    }

    /** Alice sends message {@code id} to the reader, whose online device is written it: delivered, unread. */
    private void send(long id, long reader) {
        owner.send(TestSend.from(ALICE, 1, ALICE_CONN, id, reader).envelope(1, "m" + id));
    }

    /** The ids of the read receipts Alice was sent since the last take. */
    private List<Long> readReceipts() {
        return out.take(Receipt.class).stream()
                .filter(receipt -> receipt.kind() == ReceiptKind.READ)
                .map(Receipt::id)
                .toList();
    }

    private long unread() {
        return counters.get(ShardCounter.MESSAGES_UNREAD);
    }

    @Test
    void shouldForgetTheOwnersOldestUnreadMessageNotTheNewestReadersOldest() {
        start(5, 2);
        long first = FIRST_READER;
        long second = FIRST_READER + 1;
        send(1, first);
        send(2, first);
        send(3, first);
        send(4, second);
        send(5, second);
        assertThat(unread()).isEqualTo(5);
        assertThat(counters.get(ShardCounter.UNREAD_DROPPED)).isZero();

        send(6, second);
        send(7, second);

        assertThat(unread()).as("at most the budget").isEqualTo(5);
        assertThat(counters.get(ShardCounter.UNREAD_DROPPED)).isEqualTo(2);
        assertThat(holds)
                .as("the forgotten messages' journal cycles are released")
                .isEqualTo(5);
        owner.read(first, ALICE, 1, 1);
        owner.read(first, ALICE, 1, 2);
        assertThat(readReceipts())
                .as("1 and 2, the owner's oldest, were forgotten")
                .isEmpty();
        assertThat(counters.get(ShardCounter.READS_IGNORED)).isEqualTo(2);
        assertThat(unread()).as("a read of a forgotten message changes nothing").isEqualTo(5);
        assertThat(holds).isEqualTo(5);

        for (long id = 3; id <= 7; id++) {
            owner.read(id == 3 ? first : second, ALICE, 1, id);
        }
        assertThat(readReceipts()).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(unread()).isZero();
        assertThat(holds).isZero();
    }

    @Test
    void shouldPassOverMessagesReadSinceAndForgetTheOldestStillUnread() {
        start(3, 3);
        send(1, FIRST_READER);
        send(2, FIRST_READER + 1);
        send(3, FIRST_READER + 2);
        owner.read(FIRST_READER, ALICE, 1, 1);
        assertThat(readReceipts()).containsExactly(1L);

        send(4, FIRST_READER);
        assertThat(counters.get(ShardCounter.UNREAD_DROPPED))
                .as("a read made room")
                .isZero();
        send(5, FIRST_READER);

        assertThat(counters.get(ShardCounter.UNREAD_DROPPED)).isEqualTo(1);
        owner.read(FIRST_READER + 1, ALICE, 1, 2);
        owner.read(FIRST_READER + 2, ALICE, 1, 3);
        owner.read(FIRST_READER, ALICE, 1, 4);
        owner.read(FIRST_READER, ALICE, 1, 5);
        assertThat(readReceipts())
                .as("2 was the oldest still unread; 1's place was passed over")
                .containsExactly(3L, 4L, 5L);
        assertThat(holds).isZero();
    }

    /**
     * Many readers, most messages never read, a budget the ring outgrows its first size for: what stays unread is
     * exactly the newest messages still unread, as a plain list of them in the order they came says.
     */
    @Test
    void shouldKeepTheNewestUnreadMessagesAcrossManyReadersAsTheyComeAndGo() {
        int budget = 1500;
        int readers = 40;
        start(budget, readers);
        Random random = new Random(7);
        Map<Long, Long> expected = new LinkedHashMap<>();
        List<Long> sent = new ArrayList<>();
        for (long id = 1; id <= 20_000; id++) {
            long reader = FIRST_READER + random.nextInt(readers);
            send(id, reader);
            sent.add(id);
            expected.put(id, reader);
            if (expected.size() > budget) {
                expected.remove(expected.keySet().iterator().next());
            }
            if (random.nextInt(5) == 0) {
                long read = sent.get(random.nextInt(sent.size()));
                Long readBy = expected.remove(read);
                owner.read(readBy == null ? FIRST_READER : readBy, ALICE, 1, read);
            }
            if (id % 1000 == 0) {
                out.take();
                assertThat(unread()).isEqualTo(expected.size()).isLessThanOrEqualTo(budget);
            }
        }
        assertThat(holds).isEqualTo(expected.size());

        for (Map.Entry<Long, Long> entry : List.copyOf(expected.entrySet())) {
            owner.read(entry.getValue(), ALICE, 1, entry.getKey());
        }
        assertThat(readReceipts()).containsExactlyElementsOf(expected.keySet());
        assertThat(unread()).isZero();
        assertThat(holds).isZero();
    }
}
