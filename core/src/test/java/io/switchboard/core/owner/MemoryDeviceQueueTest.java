package io.switchboard.core.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.EnvelopeType;
import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MemoryDeviceQueueTest {
    private static final MessageRecord RECORD = new MessageRecord(42, 1, 7, 1_000, 1L << 1, null, 0);

    private static long append(MemoryDeviceQueue queue, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return queue.append(RECORD, EnvelopeType.MSG, new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static String body(MemoryDeviceQueue queue, long seq) {
        return new String(queue.body(seq), StandardCharsets.UTF_8);
    }

    @Test
    void shouldStartEmptyWithHeadAndNextAtOne() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(10, Long.MAX_VALUE / 4);

        assertThat(queue.size()).isZero();
        assertThat(queue.headSeq()).isEqualTo(1);
        assertThat(queue.nextSeq()).isEqualTo(1);
        assertThat(queue.isFull()).isFalse();
        assertThat(queue.record(1)).isNull();
        assertThat(queue.remove(1)).isFalse();
    }

    @Test
    void shouldNumberAppendedMessagesConsecutivelyFromOne() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(10, Long.MAX_VALUE / 4);

        assertThat(append(queue, "a")).isEqualTo(1);
        assertThat(append(queue, "b")).isEqualTo(2);
        assertThat(append(queue, "c")).isEqualTo(3);

        assertThat(queue.size()).isEqualTo(3);
        assertThat(queue.headSeq()).isEqualTo(1);
        assertThat(queue.nextSeq()).isEqualTo(4);
    }

    @Test
    void shouldReturnTheMessageWithItsSeqTypeRecordAndACopyOfTheBody() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(10, Long.MAX_VALUE / 4);
        byte[] source = "..hello..".getBytes(StandardCharsets.UTF_8);

        long seq = queue.append(RECORD, EnvelopeType.PKMSG, new UnsafeBuffer(source), 2, 5);
        source[2] = 'J';

        assertThat(queue.type(seq)).isEqualTo(EnvelopeType.PKMSG);
        assertThat(queue.record(seq)).isSameAs(RECORD);
        assertThat(queue.bodyLength(seq)).isEqualTo(5);
        assertThat(body(queue, seq)).isEqualTo("hello");
    }

    @Test
    void shouldReturnNullForSeqsNeverAppended() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(10, Long.MAX_VALUE / 4);
        append(queue, "a");

        assertThat(queue.record(0)).isNull();
        assertThat(queue.record(2)).isNull();
        assertThat(queue.record(-1)).isNull();
        assertThat(queue.remove(2)).isFalse();
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void shouldRemoveAMessageOnceAndAdvanceTheHead() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(10, Long.MAX_VALUE / 4);
        append(queue, "a");
        append(queue, "b");

        assertThat(queue.remove(1)).isTrue();

        assertThat(queue.remove(1)).isFalse();
        assertThat(queue.record(1)).isNull();
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.headSeq()).isEqualTo(2);
        assertThat(body(queue, 2)).isEqualTo("b");
    }

    @Test
    void shouldLeaveHolesWhenRemovingOutOfOrderAndSkipThemWhenTheHeadGoes() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(10, Long.MAX_VALUE / 4);
        for (int i = 1; i <= 4; i++) {
            append(queue, "m" + i);
        }

        queue.remove(2);
        queue.remove(3);

        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.headSeq()).isEqualTo(1);
        assertThat(queue.record(2)).isNull();
        assertThat(queue.record(3)).isNull();
        assertThat(body(queue, 4)).isEqualTo("m4");

        queue.remove(1);

        assertThat(queue.headSeq()).isEqualTo(4);
        assertThat(queue.size()).isEqualTo(1);

        queue.remove(4);

        assertThat(queue.size()).isZero();
        assertThat(queue.headSeq()).isEqualTo(5);
        assertThat(queue.nextSeq()).isEqualTo(5);
        assertThat(append(queue, "m5")).isEqualTo(5);
    }

    @Test
    void shouldKeepEveryMessageRetrievableWhenGrowingPastTheInitialCapacity() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(1_000, Long.MAX_VALUE / 4);

        for (int i = 1; i <= 100; i++) {
            assertThat(append(queue, "m" + i)).isEqualTo(i);
        }

        assertThat(queue.size()).isEqualTo(100);
        for (int i = 1; i <= 100; i++) {
            assertThat(body(queue, i)).isEqualTo("m" + i);
        }
    }

    @Test
    void shouldKeepEveryMessageRetrievableWhenGrowingAWrappedRingWithHoles() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(1_000, Long.MAX_VALUE / 4);
        for (int i = 1; i <= 4; i++) {
            append(queue, "m" + i);
        }
        queue.remove(1);
        queue.remove(2);
        queue.remove(4);

        // Seqs 5 and 6 wrap round the initial ring of 4; 7 finds it full and grows it.
        for (int i = 5; i <= 40; i++) {
            assertThat(append(queue, "m" + i)).isEqualTo(i);
        }

        assertThat(queue.headSeq()).isEqualTo(3);
        assertThat(queue.size()).isEqualTo(37);
        assertThat(queue.record(4)).isNull();
        assertThat(body(queue, 3)).isEqualTo("m3");
        for (int i = 5; i <= 40; i++) {
            assertThat(body(queue, i)).as("seq %d", i).isEqualTo("m" + i);
        }
        for (int i = 3; i <= 40; i++) {
            queue.remove(i);
        }
        assertThat(queue.size()).isZero();
        assertThat(queue.headSeq()).isEqualTo(41);
    }

    @Test
    void shouldKeepWhereTheJournalHoldsABodyAndCountEveryEntrysBytesUntilItIsRemoved() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(10, Long.MAX_VALUE / 4);
        append(queue, "abc");
        long seq = queue.appendJournaled(RECORD, EnvelopeType.SKMSG, 70_000, 1L << 40 | 12_345, 300);

        assertThat(queue.body(seq)).isNull();
        assertThat(queue.type(seq)).isEqualTo(EnvelopeType.SKMSG);
        assertThat(queue.bodyLength(seq)).isEqualTo(70_000);
        assertThat(queue.journalIndex(seq)).isEqualTo(1L << 40 | 12_345);
        assertThat(queue.envelope(seq)).isEqualTo(300);
        assertThat(queue.bytes()).isEqualTo(DeviceQueue.bytes(3) + DeviceQueue.bytes(70_000));

        queue.remove(1);
        assertThat(queue.bytes()).isEqualTo(DeviceQueue.bytes(70_000));
        queue.remove(seq);
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void shouldBeFullWhenTheSeqSpanReachesTheBound() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(3, Long.MAX_VALUE / 4);
        append(queue, "a");
        append(queue, "b");
        assertThat(queue.isFull()).isFalse();

        append(queue, "c");
        assertThat(queue.isFull()).isTrue();

        queue.remove(1);
        assertThat(queue.isFull()).isFalse();
    }

    @Test
    void shouldStayFullWhileAnOldHeadIsUnacknowledgedEvenWithLaterOnesRemoved() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(3, Long.MAX_VALUE / 4);
        append(queue, "a");
        append(queue, "b");
        append(queue, "c");

        queue.remove(2);
        queue.remove(3);

        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.isFull()).isTrue();

        queue.remove(1);
        assertThat(queue.isFull()).isFalse();
        assertThat(queue.size()).isZero();
    }
}
