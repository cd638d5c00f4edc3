package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.journal.Journal;
import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.ReceiptKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.agrona.collections.IntArrayList;
import org.junit.jupiter.api.Test;

/**
 * The receipts a device is owed against a plain deque through many adds, acknowledgements, expiries and drops at the
 * bound, so that the ring wraps, grows and drops its oldest many times: every receipt keeps its id, recipient, group,
 * kind, time, journal cycle and rseq, and leaves oldest first.
 */
class PendingReceiptsTest {
    private static final int MAX = 50;

    private record Held(long id, long recipient, String group, ReceiptKind kind, long ts, int cycle, long rseq) {}

    @Test
    void shouldKeepEveryFieldOfEachReceiptInOrderThroughWrapsGrowthAndDrops() {
        Random random = new Random(14);
        PendingReceipts pending = new PendingReceipts(MAX);
        ArrayDeque<Held> model = new ArrayDeque<>();
        long ts = 1_000;
        long rseq = 0;
        long id = 0;
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 7) {
                // Cycles reach past 2^31 - 1 in no journal, but a negative one (FAILED) must survive the packing.
                int cycle = random.nextBoolean() ? Journal.FAILED : random.nextInt(Integer.MAX_VALUE);
                // A group receipt names its group, not a recipient (Receipts holds it with recipient 0).
                String group = random.nextInt(8) == 0 ? "g" + random.nextInt(3) : null;
                Held held = new Held(
                        ++id,
                        group == null ? random.nextInt(1_000_000) : 0,
                        group,
                        random.nextBoolean() ? ReceiptKind.READ : ReceiptKind.DELIVERED,
                        ts += random.nextInt(3),
                        cycle,
                        random.nextBoolean() ? ++rseq : 0);
                boolean kept = pending.add(
                        held.id(), held.recipient(), held.group(), held.kind(), held.ts(), held.cycle(), held.rseq());
                assertThat(kept).as("step %d", step).isEqualTo(model.size() < MAX);
                if (!kept) {
                    assertThat(pending.droppedCycle())
                            .isEqualTo(model.removeFirst().cycle());
                }
                model.addLast(held);
            } else if (op < 8) {
                long upTo = rseq - random.nextInt(5);
                IntArrayList released = new IntArrayList();
                int expected = 0;
                List<Integer> expectedReleased = new ArrayList<>();
                while (!model.isEmpty()
                        && model.peekFirst().rseq() != 0
                        && model.peekFirst().rseq() <= upTo) {
                    Held gone = model.removeFirst();
                    if (gone.cycle() != Journal.FAILED) {
                        expectedReleased.add(gone.cycle());
                    }
                    expected++;
                }
                assertThat(pending.acknowledge(upTo, released)).isEqualTo(expected);
                assertThat(released).containsExactlyElementsOf(expectedReleased);
            } else if (op < 9) {
                long oldest = ts - random.nextInt(40);
                IntArrayList released = new IntArrayList();
                int expected = 0;
                while (!model.isEmpty() && model.peekFirst().ts() < oldest) {
                    model.removeFirst();
                    expected++;
                }
                assertThat(pending.expire(oldest, released)).isEqualTo(expected);
            } else {
                assertThat(visited(pending))
                        .isEqualTo(model.stream()
                                .map(held -> held.id() + " " + held.kind().name() + " " + (held.rseq() != 0))
                                .toList());
            }
            assertThat(pending.cycles())
                    .containsExactly(model.stream().mapToInt(Held::cycle).toArray());
            assertThat(pending.anyJournaled())
                    .isEqualTo(model.stream().anyMatch(held -> held.cycle() != Journal.FAILED));
            assertThat(pending.isEmpty()).isEqualTo(model.isEmpty());
        }
        assertThat(held(pending)).isEqualTo(List.copyOf(model));
    }

    /** What a visit tells of each receipt held, oldest first: its id, its kind, whether it went out with an rseq. */
    private static List<String> visited(PendingReceipts pending) {
        List<String> visited = new ArrayList<>();
        pending.visit(7, 1, true, new HeldVisitor() {
            @Override
            public void message(long user, int device, long senderUser, int senderDevice, long id, boolean written) {}

            @Override
            public void receipt(long user, int device, long id, ReceiptKind kind, boolean written) {
                visited.add(id + " " + kind.name() + " " + written);
            }

            @Override
            public void readIgnored(long user, long senderUser, int senderDevice, long id) {}
        });
        return visited;
    }

    /**
     * What a session that acknowledges receipts is sent, and what a visit tells, as the receipts held; those sent
     * without an rseq before get one now, so this is the last look at them.
     */
    private static List<Held> held(PendingReceipts pending) {
        List<String> visited = visited(pending);
        RecordingOutbound out = new RecordingOutbound();
        // Every receipt already has its rseq or gets one above any held, so the rseqs sent are the ones held.
        pending.sendAll(out, 3, new Frame(), Long.MAX_VALUE / 2);
        List<RecordingOutbound.Event> sent = out.take();
        List<Held> held = new ArrayList<>();
        int[] cycles = pending.cycles();
        for (int i = 0; i < sent.size(); i++) {
            String[] visit = visited.get(i).split(" ");
            long id = Long.parseLong(visit[0]);
            ReceiptKind kind = ReceiptKind.valueOf(visit[1]);
            boolean written = Boolean.parseBoolean(visit[2]);
            if (sent.get(i) instanceof RecordingOutbound.Receipt receipt) {
                assertThat(receipt.id()).isEqualTo(id);
                assertThat(receipt.kind()).isEqualTo(kind);
                long rseq = written ? receipt.rseq() : 0;
                held.add(new Held(id, receipt.toUser(), null, kind, receipt.ts(), cycles[i], rseq));
            } else {
                String json = ((RecordingOutbound.Other) sent.get(i)).json();
                long rseq = written ? number(json, "rseq") : 0;
                String group = json.replaceAll(".*\"to\":\\{\"group\":\"([^\"]*)\"}.*", "$1");
                held.add(new Held(id, 0, group, kind, number(json, "ts"), cycles[i], rseq));
            }
        }
        return held;
    }

    private static long number(String json, String name) {
        return Long.parseLong(json.replaceAll(".*\"" + name + "\":(\\d+).*", "$1"));
    }
}
