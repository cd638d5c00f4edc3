package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle catches planted loss, duplication, reordering and wrong receipts. */
class OracleTest {
    /** Ten users; one group of all of them. */
    private final GroupPlan plan = new GroupPlan(7, 10, new Scenario.Groups(1, 10, 10));

    private final Oracle oracle = new Oracle(plan);

    private int sendAckDeliver(int sender, int recipient, boolean read) {
        int index = oracle.sent(sender, recipient);
        oracle.acked(index);
        assertThat(oracle.delivered(index, recipient, sender, Oracle.idOf(index)))
                .isTrue();
        oracle.deliveredReceipt(index, false);
        if (read) {
            oracle.readSent(index);
            oracle.readReceipt(index, false);
        }
        return index;
    }

    @Test
    void shouldCountNothingForAPerfectExchange() {
        sendAckDeliver(0, 1, true);
        sendAckDeliver(0, 1, false);
        sendAckDeliver(1, 0, true);
        Oracle.OracleCounts counts = oracle.counts();
        assertThat(counts.sent()).isEqualTo(3);
        assertThat(counts.acked()).isEqualTo(3);
        assertThat(counts.delivered()).isEqualTo(3);
        assertThat(counts.lost()).isZero();
        assertThat(counts.reordered()).isZero();
        assertThat(counts.receiptErrors()).isZero();
        assertThat(counts.duplicatesAtTransport()).isZero();
        assertThat(oracle.settled()).isTrue();
    }

    @Test
    void shouldCountAnAckedMessageNeverDeliveredAsLost() {
        int index = oracle.sent(0, 1);
        oracle.acked(index);
        assertThat(oracle.counts().lost()).isEqualTo(1);
        assertThat(oracle.settled()).isFalse();
    }

    @Test
    void shouldCountARedeliveryAsATransportDuplicateAndHideItFromTheApplication() {
        int index = sendAckDeliver(0, 1, false);
        assertThat(oracle.delivered(index, 1, 0, Oracle.idOf(index))).isFalse();
        assertThat(oracle.counts().duplicatesAtTransport()).isEqualTo(1);
        assertThat(oracle.counts().duplicatesToApp()).isZero();
    }

    @Test
    void shouldCountMessagesFromOneSenderArrivingOutOfOrder() {
        int first = oracle.sent(0, 1);
        int second = oracle.sent(0, 1);
        oracle.acked(first);
        oracle.acked(second);
        oracle.delivered(second, 1, 0, Oracle.idOf(second));
        oracle.delivered(first, 1, 0, Oracle.idOf(first));
        assertThat(oracle.counts().reordered()).isEqualTo(1);
    }

    @Test
    void shouldNotCountInterleavingOfDifferentSendersAsReordering() {
        int fromA = oracle.sent(0, 2);
        int fromB = oracle.sent(1, 2);
        oracle.delivered(fromA, 2, 0, Oracle.idOf(fromA));
        oracle.delivered(fromB, 2, 1, Oracle.idOf(fromB));
        assertThat(oracle.counts().reordered()).isZero();
    }

    @Test
    void shouldCountWrongRepeatedAndMissingReceipts() {
        int undelivered = oracle.sent(0, 1);
        oracle.acked(undelivered);
        oracle.deliveredReceipt(undelivered, false); // before any delivery: wrong
        int delivered = sendAckDeliver(0, 1, false);
        oracle.deliveredReceipt(delivered, false); // a second time: wrong
        oracle.readReceipt(delivered, false); // never read: wrong
        int unread = oracle.sent(0, 1);
        oracle.acked(unread);
        oracle.delivered(unread, 1, 0, Oracle.idOf(unread));
        oracle.readSent(unread); // delivered and read, but neither receipt arrives: two missing
        assertThat(oracle.counts().receiptErrors()).isEqualTo(3 + 2);
    }

    @Test
    void shouldCountADeliveryToTheWrongRecipientAsAnError() {
        int index = oracle.sent(0, 1);
        oracle.acked(index);
        assertThat(oracle.delivered(index, 2, 0, Oracle.idOf(index))).isFalse();
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1);
        assertThat(oracle.counts().lost()).isEqualTo(1);
    }

    @Test
    void shouldFindNoAckOrDeliveryForAnIdThatSenderNeverSent() {
        int index = oracle.sent(0, 1);
        assertThat(oracle.indexOf(0, Oracle.idOf(index))).isEqualTo(index);
        assertThat(oracle.indexOf(1, Oracle.idOf(index))).isEqualTo(-1);
        assertThat(oracle.indexOf(0, Oracle.idOf(index) + 1)).isEqualTo(-1);
    }

    @Test
    void shouldNameEveryUserAMessageStillWaitsOn() {
        int undelivered = oracle.sent(0, 1);
        oracle.acked(undelivered);
        int unreceipted = oracle.sent(2, 3);
        oracle.acked(unreceipted);
        oracle.delivered(unreceipted, 3, 2, Oracle.idOf(unreceipted));
        sendAckDeliver(4, 5, false);
        List<Integer> waiting = new ArrayList<>();
        oracle.forEachWaitingUser(waiting::add);
        assertThat(waiting).containsExactly(1, 2);
    }

    @Test
    void shouldSeparateRejectedSendsFromNeverAcknowledgedOnes() {
        oracle.rejected(oracle.sent(0, 1));
        oracle.sent(0, 1);
        Oracle.OracleCounts counts = oracle.counts();
        assertThat(counts.sendErrors()).isEqualTo(1);
        assertThat(counts.neverAcked()).isEqualTo(1);
        assertThat(counts.lost()).isZero();
    }

    /** Sends from user 0 to the group and delivers to every member but {@code skipped} (-1: none). */
    private int groupSendDeliverAllBut(int skipped) {
        int index = oracle.sentToGroup(0, 0);
        oracle.acked(index);
        for (int member = 1; member < 10; member++) {
            if (member != skipped) {
                assertThat(oracle.delivered(index, member, 0, Oracle.idOf(index)))
                        .isTrue();
            }
        }
        return index;
    }

    private void readBy(int index, int readers) {
        for (int reader = 0; reader < readers; reader++) {
            oracle.readSent(index);
        }
    }

    @Test
    void shouldCountNothingForAPerfectGroupExchange() {
        int index = groupSendDeliverAllBut(-1);
        oracle.deliveredReceipt(index, true);
        readBy(index, 9);
        oracle.readReceipt(index, true);
        Oracle.OracleCounts counts = oracle.counts();
        assertThat(counts.delivered()).isEqualTo(9);
        assertThat(counts.lost()).isZero();
        assertThat(counts.receiptErrors()).isZero();
        assertThat(oracle.settled()).isTrue();
    }

    @Test
    void shouldCountAMissingMemberDeliveryAsLostAndWaitForThatMember() {
        int index = groupSendDeliverAllBut(4);
        assertThat(oracle.counts().lost()).isEqualTo(1);
        List<Integer> waiting = new ArrayList<>();
        oracle.forEachWaitingUser(waiting::add);
        assertThat(waiting).containsExactly(4);
        assertThat(oracle.settled()).isFalse();
        assertThat(oracle.delivered(index, 4, 0, Oracle.idOf(index))).isTrue();
        assertThat(oracle.counts().lost()).isZero();
    }

    @Test
    void shouldHideAGroupDuplicateFromTheApplicationAndRefuseTheSenderItself() {
        int index = groupSendDeliverAllBut(-1);
        assertThat(oracle.delivered(index, 3, 0, Oracle.idOf(index))).isFalse();
        assertThat(oracle.delivered(index, 0, 0, Oracle.idOf(index))).isFalse();
        assertThat(oracle.counts().duplicatesAtTransport()).isEqualTo(1);
        assertThat(oracle.counts().delivered()).isEqualTo(9);
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1 + 1); // the sender's copy; the missing receipt
    }

    @Test
    void shouldCountAnAggregatedReceiptBeforeTheLastMemberOrNamingAUserAsWrong() {
        int early = groupSendDeliverAllBut(9);
        oracle.deliveredReceipt(early, true); // member 9 has not acknowledged yet
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1); // the early one
        assertThat(oracle.delivered(early, 9, 0, Oracle.idOf(early))).isTrue();
        int misnamed = groupSendDeliverAllBut(-1);
        oracle.deliveredReceipt(misnamed, false);
        oracle.deliveredReceipt(early, true);
        // the early one; the misnamed one; and the misnamed message's receipt is still missing
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1 + 1 + 1);
    }

    @Test
    void shouldExpectTheGroupReadReceiptOnlyOnceEveryMemberRead() {
        int index = groupSendDeliverAllBut(-1);
        oracle.deliveredReceipt(index, true);
        readBy(index, 8);
        oracle.readReceipt(index, true); // one member has not read: early
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1);
        oracle.readSent(index);
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1 + 1); // now due and missing
        oracle.readReceipt(index, true);
        oracle.readReceipt(index, true); // a second time: wrong
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1 + 1);
    }

    @Test
    void shouldCheckOrderPerSenderPerGroup() {
        int first = oracle.sentToGroup(0, 0);
        int second = oracle.sentToGroup(0, 0);
        int direct = oracle.sent(0, 1);
        oracle.delivered(second, 1, 0, Oracle.idOf(second));
        oracle.delivered(direct, 1, 0, Oracle.idOf(direct)); // another conversation: not a reordering
        assertThat(oracle.counts().reordered()).isZero();
        oracle.delivered(first, 1, 0, Oracle.idOf(first));
        assertThat(oracle.counts().reordered()).isEqualTo(1);
    }
}
