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

    private static String body(QueuedMessage message) {
        return new String(message.body(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldStartEmptyWithHeadAndNextAtOne() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(10, Long.MAX_VALUE / 4);

        assertThat(queue.size()).isZero();
        assertThat(queue.headSeq()).isEqualTo(1);
        assertThat(queue.nextSeq()).isEqualTo(1);
        assertThat(queue.isFull()).isFalse();
        assertThat(queue.get(1)).isNull();
        assertThat(queue.remove(1)).isNull();
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

        QueuedMessage message = queue.get(seq);
        assertThat(message.seq()).isEqualTo(seq);
        assertThat(message.type()).isEqualTo(EnvelopeType.PKMSG);
        assertThat(message.record()).isSameAs(RECORD);
        assertThat(body(message)).isEqualTo("hello");
    }

    @Test
    void shouldReturnNullForSeqsNeverAppended() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(10, Long.MAX_VALUE / 4);
        append(queue, "a");

        assertThat(queue.get(0)).isNull();
        assertThat(queue.get(2)).isNull();
        assertThat(queue.get(-1)).isNull();
        assertThat(queue.remove(2)).isNull();
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void shouldRemoveAMessageOnceAndAdvanceTheHead() {
        MemoryDeviceQueue queue = new MemoryDeviceQueue(10, Long.MAX_VALUE / 4);
        append(queue, "a");
        append(queue, "b");

        QueuedMessage removed = queue.remove(1);

        assertThat(body(removed)).isEqualTo("a");
        assertThat(queue.remove(1)).isNull();
        assertThat(queue.get(1)).isNull();
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.headSeq()).isEqualTo(2);
        assertThat(body(queue.get(2))).isEqualTo("b");
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
        assertThat(queue.get(2)).isNull();
        assertThat(queue.get(3)).isNull();
        assertThat(body(queue.get(4))).isEqualTo("m4");

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
            QueuedMessage message = queue.get(i);
            assertThat(message.seq()).isEqualTo(i);
            assertThat(body(message)).isEqualTo("m" + i);
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
        assertThat(queue.get(4)).isNull();
        assertThat(body(queue.get(3))).isEqualTo("m3");
        for (int i = 5; i <= 40; i++) {
            assertThat(body(queue.get(i))).as("seq %d", i).isEqualTo("m" + i);
        }
        for (int i = 3; i <= 40; i++) {
            queue.remove(i);
        }
        assertThat(queue.size()).isZero();
        assertThat(queue.headSeq()).isEqualTo(41);
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
