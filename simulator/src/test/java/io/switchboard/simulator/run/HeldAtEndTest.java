package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import org.junit.jupiter.api.Test;

/**
 * How one owner's walk sorts what the server holds against what the oracle misses (users 1 and 2 of the server are
 * indexes 0 and 1, with two devices each). The barrier is not started here, so no session is confirmed; a confirmed
 * one that never got what was written to it is {@link FaultyServerRunTest}'s loss fault.
 */
class HeldAtEndTest {
    private final DeviceSlots two = new DeviceSlots(2);
    private final Oracle oracle = new Oracle(new GroupPlan(7, 10, new Scenario.Groups(0, 2, 2)), two, 1024, 20);
    private final HeldAtEnd.Counter counter =
            new HeldAtEnd.Counter(oracle, two, new EndBarrier(two, two.count(10), oracle, device -> false, null));

    private int sentAndAcked() {
        int index = wired(oracle, oracle.sent(two.slot(0, 1), 1));
        oracle.acked(index);
        return index;
    }

    private void deliver(int index, int device) {
        oracle.delivered(index, two.slot(1, device), two.slot(0, 1), oracle.idOf(index), false);
    }

    @Test
    void shouldCountAnOwedDeliveryTheServerHoldsUnsentOrWrittenToAnUnconfirmedSession() {
        int index = sentAndAcked();
        counter.message(2, 1, 1, 1, oracle.idOf(index), false);
        counter.message(2, 2, 1, 1, oracle.idOf(index), true);
        assertThat(counter.messages()).isEqualTo(2);
        assertThat(counter.receipts()).isZero();
    }

    @Test
    void shouldCountNothingForAnEntryOfAMessageNotOwedOrUnknown() {
        int unanswered = wired(oracle, oracle.sent(two.slot(0, 1), 1));
        counter.message(2, 1, 1, 1, oracle.idOf(unanswered), false);
        counter.message(2, 1, 1, 2, oracle.idOf(unanswered), false); // another sending device never sent that id
        counter.message(2, 1, 1, 1, 99, false);
        assertThat(counter.messages()).isZero();
        assertThat(counter.receipts()).isZero();
    }

    /**
     * Every device got the message but the server still holds their entries (the recvs did not come): the delivered
     * receipt it has not made yet is held, once per message, not once per entry.
     */
    @Test
    void shouldCountADeliveredReceiptTheServerHasNotMadeOnceWhileItHoldsTheMessage() {
        int index = sentAndAcked();
        deliver(index, 1);
        deliver(index, 2);
        assertThat(oracle.missingReceipt(index, ReceiptKind.DELIVERED)).isTrue();
        counter.message(2, 1, 1, 1, oracle.idOf(index), true);
        counter.message(2, 2, 1, 1, oracle.idOf(index), true);
        assertThat(counter.messages()).isZero();
        assertThat(counter.receipts()).isOne();
    }

    @Test
    void shouldCountAMissingReceiptTheServerHoldsForTheSendingDeviceAndNotOneThatArrived() {
        int index = sentAndAcked();
        deliver(index, 1);
        deliver(index, 2);
        counter.receipt(1, 1, oracle.idOf(index), ReceiptKind.DELIVERED, false);
        counter.receipt(1, 1, oracle.idOf(index), ReceiptKind.READ, false); // no read was sent: not due
        assertThat(counter.receipts()).isOne();
        oracle.deliveredReceipt(index, false);
        counter.receipt(1, 1, oracle.idOf(index), ReceiptKind.DELIVERED, true);
        assertThat(counter.receipts()).as("it arrived: not missing").isOne();
    }

    /**
     * A read the server ignored after forgetting unread messages explains a missing read receipt, once per message;
     * not one read by another user, nor one whose receipt came or was not due.
     */
    @Test
    void shouldCountAMissingReadReceiptWhoseReadTheServerIgnoredOncePerMessage() {
        int index = sentAndAcked();
        int unread = sentAndAcked();
        deliver(index, 1);
        deliver(unread, 1);
        oracle.readSent(index, 1);
        counter.readIgnored(2, 1, 1, oracle.idOf(index));
        counter.readIgnored(2, 1, 1, oracle.idOf(index));
        counter.readIgnored(3, 1, 1, oracle.idOf(index)); // user 3 got no such message
        counter.readIgnored(2, 1, 1, oracle.idOf(unread)); // its read was never sent: no receipt due
        assertThat(counter.readsIgnored()).containsExactly(index);

        oracle.readReceipt(index, false);
        HeldAtEnd.Counter after =
                new HeldAtEnd.Counter(oracle, two, new EndBarrier(two, two.count(10), oracle, device -> false, null));
        after.readIgnored(2, 1, 1, oracle.idOf(index));
        assertThat(after.readsIgnored()).as("its receipt came: not missing").isEmpty();
    }

    /** Message {@code index} goes on the wire as soon as it is sent, as {@link PlainEnvelopes} sends it: its id. */
    private static int wired(Oracle oracle, int index) {
        oracle.ids().workload(oracle.senderOf(index), index);
        return index;
    }
}
