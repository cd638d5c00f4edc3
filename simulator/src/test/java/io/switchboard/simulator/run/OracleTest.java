package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The oracle catches planted loss, duplication, reordering and wrong receipts. */
class OracleTest {
    private final Oracle oracle = new Oracle();

    private int sendAckDeliver(int sender, int recipient, boolean read) {
        int index = oracle.sent(sender, recipient);
        oracle.acked(index);
        assertThat(oracle.delivered(index, recipient, sender, Oracle.idOf(index)))
                .isTrue();
        oracle.deliveredReceipt(index);
        if (read) {
            oracle.readSent(index);
            oracle.readReceipt(index);
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
        oracle.deliveredReceipt(undelivered); // before any delivery: wrong
        int delivered = sendAckDeliver(0, 1, false);
        oracle.deliveredReceipt(delivered); // a second time: wrong
        oracle.readReceipt(delivered); // never read: wrong
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
        java.util.List<Integer> waiting = new java.util.ArrayList<>();
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
}
