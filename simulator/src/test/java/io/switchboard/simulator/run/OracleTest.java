package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.simulator.net.DeviceSlots;
import io.switchboard.simulator.scenario.Scenario;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The oracle catches planted loss, duplication, reordering and wrong receipts. */
class OracleTest {
    /** Ten users; one group of all of them. */
    private final GroupPlan plan = new GroupPlan(7, 10, new Scenario.Groups(1, 10, 10));

    private final Oracle oracle = new Oracle(plan, new DeviceSlots(1), 1024, 10);

    private int sendAckDeliver(int sender, int recipient, boolean read) {
        int index = wired(oracle, oracle.sent(sender, recipient));
        oracle.acked(index);
        assertThat(oracle.delivered(index, recipient, sender, oracle.idOf(index), false))
                .isEqualTo(Oracle.NEW_TO_READER);
        assertThat(oracle.deliveredReceipt(index, false)).isTrue();
        if (read) {
            oracle.readSent(index, recipient);
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
        assertThat(counts.redelivered()).isZero();
        assertThat(counts.duplicatesInSession()).isZero();
        assertThat(counts.duplicatesToApp()).isZero();
        assertThat(oracle.settled()).isTrue();
    }

    @Test
    void shouldCountAnAckedMessageNeverDeliveredAsLost() {
        int index = wired(oracle, oracle.sent(0, 1));
        oracle.acked(index);
        assertThat(oracle.counts().lost()).isEqualTo(1);
        assertThat(oracle.settled()).isFalse();
    }

    @Test
    void shouldCountACopyOnANewSessionAsRedeliveredAndACopyWithinASessionAsAServerFault() {
        int index = sendAckDeliver(0, 1, false);
        assertThat(oracle.delivered(index, 1, 0, oracle.idOf(index), true)).isEqualTo(Oracle.DUPLICATE);
        assertThat(oracle.delivered(index, 1, 0, oracle.idOf(index), false)).isEqualTo(Oracle.DUPLICATE);
        assertThat(oracle.delivered(index, 1, 0, oracle.idOf(index), false)).isEqualTo(Oracle.DUPLICATE);
        Oracle.OracleCounts counts = oracle.counts();
        assertThat(counts.delivered()).isEqualTo(1);
        assertThat(counts.redelivered()).isEqualTo(1);
        assertThat(counts.duplicatesInSession()).isEqualTo(2);
        assertThat(counts.duplicatesToApp()).isZero();
        assertThat(counts.receiptErrors()).isZero();
    }

    @Test
    void shouldCountEveryCopyTheClientShowedItsApplication() {
        int index = sendAckDeliver(0, 1, false);
        for (int copy = 0; copy < 3; copy++) {
            assertThat(oracle.delivered(index, 1, 0, oracle.idOf(index), copy == 0))
                    .isEqualTo(Oracle.DUPLICATE);
            oracle.duplicateShown();
        }
        Oracle.OracleCounts counts = oracle.counts();
        assertThat(counts.duplicatesToApp()).isEqualTo(3);
        assertThat(counts.redelivered()).isEqualTo(1);
        assertThat(counts.duplicatesInSession()).isEqualTo(2);
        assertThat(counts.delivered()).isEqualTo(1);
    }

    @Test
    void shouldCountMessagesFromOneSenderArrivingOutOfOrder() {
        int first = wired(oracle, oracle.sent(0, 1));
        int second = wired(oracle, oracle.sent(0, 1));
        oracle.acked(first);
        oracle.acked(second);
        oracle.delivered(second, 1, 0, oracle.idOf(second), false);
        oracle.delivered(first, 1, 0, oracle.idOf(first), false);
        assertThat(oracle.counts().reordered()).isEqualTo(1);
    }

    @Test
    void shouldNotCountInterleavingOfDifferentSendersAsReordering() {
        int fromA = wired(oracle, oracle.sent(0, 2));
        int fromB = wired(oracle, oracle.sent(1, 2));
        oracle.delivered(fromA, 2, 0, oracle.idOf(fromA), false);
        oracle.delivered(fromB, 2, 1, oracle.idOf(fromB), false);
        assertThat(oracle.counts().reordered()).isZero();
    }

    @Test
    void shouldCountWrongRepeatedAndMissingReceipts() {
        int undelivered = wired(oracle, oracle.sent(0, 1));
        oracle.acked(undelivered);
        assertThat(oracle.deliveredReceipt(undelivered, false)).isFalse(); // before any delivery: wrong
        int delivered = sendAckDeliver(0, 1, false);
        assertThat(oracle.deliveredReceipt(delivered, false)).isFalse(); // a second time: wrong
        oracle.readReceipt(delivered, false); // never read: wrong
        int unread = wired(oracle, oracle.sent(0, 1));
        oracle.acked(unread);
        oracle.delivered(unread, 1, 0, oracle.idOf(unread), false);
        oracle.readSent(unread, 1); // delivered and read, but neither receipt arrives: two missing
        assertThat(oracle.counts().receiptErrors()).isEqualTo(3 + 2);
    }

    @Test
    void shouldCountADeliveryToTheWrongRecipientAsAnError() {
        int index = wired(oracle, oracle.sent(0, 1));
        oracle.acked(index);
        assertThat(oracle.delivered(index, 2, 0, oracle.idOf(index), false)).isEqualTo(Oracle.REFUSED);
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1);
        assertThat(oracle.counts().lost()).isEqualTo(1);
        int neverSent = index + 1;
        assertThat(oracle.delivered(neverSent, 1, 0, oracle.idOf(neverSent), false))
                .as("a message one past the last one sent")
                .isEqualTo(Oracle.REFUSED);
        assertThat(oracle.counts().receiptErrors()).isEqualTo(2);
    }

    @Test
    void shouldFindNoAckOrDeliveryForAnIdThatSenderNeverSent() {
        int index = wired(oracle, oracle.sent(0, 1));
        assertThat(oracle.indexOf(0, oracle.idOf(index))).isEqualTo(index);
        assertThat(oracle.indexOf(1, oracle.idOf(index))).isEqualTo(-1);
        assertThat(oracle.indexOf(0, oracle.idOf(index) + 1))
                .as("one past the last message sent")
                .isEqualTo(-1);
    }

    @Test
    void shouldNameEveryUserAMessageStillWaitsOn() {
        int undelivered = wired(oracle, oracle.sent(0, 1));
        oracle.acked(undelivered);
        int unreceipted = wired(oracle, oracle.sent(2, 3));
        oracle.acked(unreceipted);
        oracle.delivered(unreceipted, 3, 2, oracle.idOf(unreceipted), false);
        sendAckDeliver(4, 5, false);
        List<Integer> waiting = new ArrayList<>();
        oracle.forEachWaitingDevice(waiting::add);
        assertThat(waiting).containsExactly(1, 2);
    }

    @Test
    void shouldSeparateRejectedSendsFromNeverAcknowledgedOnes() {
        oracle.rejected(wired(oracle, oracle.sent(0, 1)), "bad-frame");
        wired(oracle, oracle.sent(0, 1));
        oracle.rejected(wired(oracle, oracle.sent(0, 1)), "bad-frame");
        oracle.rejected(wired(oracle, oracle.sent(0, 1)), "internal");
        Oracle.OracleCounts counts = oracle.counts();
        assertThat(counts.sendErrors()).isEqualTo(3);
        assertThat(counts.sendErrorsByCode()).isEqualTo(Map.of("bad-frame", 2L, "internal", 1L));
        assertThat(counts.neverAcked()).isEqualTo(1);
        assertThat(counts.lost()).isZero();
    }

    /** Sends from user 0 to the group and delivers to every member but {@code skipped} (-1: none). */
    private int groupSendDeliverAllBut(int skipped) {
        int index = wired(oracle, oracle.sentToGroup(0, 0));
        oracle.acked(index);
        for (int member = 1; member < 10; member++) {
            if (member != skipped) {
                assertThat(oracle.delivered(index, member, 0, oracle.idOf(index), false))
                        .isEqualTo(Oracle.NEW_TO_READER);
            }
        }
        return index;
    }

    /** Members 1..readers read the group message user 0 sent. */
    private void readBy(int index, int readers) {
        for (int reader = 1; reader <= readers; reader++) {
            oracle.readSent(index, reader);
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
        oracle.forEachWaitingDevice(waiting::add);
        assertThat(waiting).containsExactly(4);
        assertThat(oracle.settled()).isFalse();
        assertThat(oracle.delivered(index, 4, 0, oracle.idOf(index), false)).isNotEqualTo(Oracle.REFUSED);
        assertThat(oracle.counts().lost()).isZero();
    }

    @Test
    void shouldCountAGroupCopyAsADuplicateAndRefuseTheSenderItself() {
        int index = groupSendDeliverAllBut(-1);
        assertThat(oracle.delivered(index, 3, 0, oracle.idOf(index), false)).isEqualTo(Oracle.DUPLICATE);
        assertThat(oracle.delivered(index, 0, 0, oracle.idOf(index), false)).isEqualTo(Oracle.REFUSED);
        assertThat(oracle.counts().duplicatesInSession()).isEqualTo(1);
        assertThat(oracle.counts().delivered()).isEqualTo(9);
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1 + 1); // the sender's copy; the missing receipt
    }

    @Test
    void shouldCountAnAggregatedReceiptBeforeTheLastMemberOrNamingAUserAsWrong() {
        int early = groupSendDeliverAllBut(9);
        oracle.deliveredReceipt(early, true); // member 9 has not acknowledged yet
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1); // the early one
        assertThat(oracle.delivered(early, 9, 0, oracle.idOf(early), false)).isNotEqualTo(Oracle.REFUSED);
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
        oracle.readSent(index, 9);
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1 + 1); // now due and missing
        oracle.readReceipt(index, true);
        oracle.readReceipt(index, true); // a second time: wrong
        assertThat(oracle.counts().receiptErrors()).isEqualTo(1 + 1);
    }

    @Test
    void shouldCheckOrderPerSenderPerGroup() {
        int first = wired(oracle, oracle.sentToGroup(0, 0));
        int second = wired(oracle, oracle.sentToGroup(0, 0));
        int direct = wired(oracle, oracle.sent(0, 1));
        oracle.delivered(second, 1, 0, oracle.idOf(second), false);
        oracle.delivered(direct, 1, 0, oracle.idOf(direct), false); // another conversation: not a reordering
        assertThat(oracle.counts().reordered()).isZero();
        oracle.delivered(first, 1, 0, oracle.idOf(first), false);
        assertThat(oracle.counts().reordered()).isEqualTo(1);
    }

    // ---- membership changes -------------------------------------------------------------------------------------

    /** Ten users; one group of five, so that there are users to add. */
    private final GroupPlan half = new GroupPlan(7, 10, new Scenario.Groups(1, 5, 5));

    private final Oracle changing = new Oracle(half, new DeviceSlots(1), 1024, 10);

    private int outsider() {
        for (int user = 0; ; user++) {
            if (half.position(half.version(0), user) < 0) {
                return user;
            }
        }
    }

    @Test
    void shouldRefuseAnEarlierMessageToAnAddedMemberAndOweItTheLaterOnes() {
        int creator = half.creator(0);
        int added = outsider();
        int before = wired(changing, changing.sentToGroup(creator, 0));
        changing.acked(before);
        int[] members = Arrays.copyOf(half.members(0), 6);
        members[5] = added;
        Arrays.sort(members);
        half.changed(0, members);
        int after = wired(changing, changing.sentToGroup(creator, 0));
        changing.acked(after);
        assertThat(changing.groupMembersOf(before)).hasSize(5).doesNotContain(added);
        assertThat(changing.groupMembersOf(after)).hasSize(6).contains(added);

        assertThat(changing.delivered(before, added, creator, changing.idOf(before), false))
                .as("the server must not send a message from before the add")
                .isEqualTo(Oracle.REFUSED);
        assertThat(changing.counts().receiptErrors()).isEqualTo(1);
        assertThat(changing.counts().lost())
                .as("4 other members of each, the added one of the later")
                .isEqualTo(4 + 5);
        assertThat(changing.delivered(after, added, creator, changing.idOf(after), false))
                .isEqualTo(Oracle.NEW_TO_READER);
        for (int member : half.versionMembers(half.version(0))) {
            if (member != creator && member != added) {
                changing.delivered(before, member, creator, changing.idOf(before), false);
                changing.delivered(after, member, creator, changing.idOf(after), false);
            }
        }
        changing.deliveredReceipt(before, true);
        changing.deliveredReceipt(after, true);
        assertThat(changing.counts().lost()).isZero();
        assertThat(changing.counts().receiptErrors()).isEqualTo(1);
    }

    /** A member of the group other than its creator. */
    private int nonCreator(int skip) {
        int[] members = half.members(0);
        int found = 0;
        for (int member : members) {
            if (member != half.creator(0) && found++ == skip) {
                return member;
            }
        }
        throw new AssertionError();
    }

    /** A message from the creator, acknowledged and delivered to every member but {@code except} (-1: none). */
    private int toHalf(int except) {
        int creator = half.creator(0);
        int index = wired(changing, changing.sentToGroup(creator, 0));
        changing.acked(index);
        for (int member : half.members(0)) {
            if (member != creator && member != except) {
                changing.delivered(index, member, creator, changing.idOf(index), false);
            }
        }
        return index;
    }

    /** Every member but the creator (the sender) and {@code except} reads the message. */
    private void readByAllBut(int index, int except) {
        for (int member : half.members(0)) {
            if (member != half.creator(0) && member != except) {
                changing.readSent(index, member);
            }
        }
    }

    @Test
    void shouldWaiveAMemberWhoGoesInEarlierMessagesAndAcceptItsLateDeliverySilently() {
        int creator = half.creator(0);
        int gone = nonCreator(0);
        int index = toHalf(gone);
        assertThat(changing.counts().lost()).isEqualTo(1);
        assertThat(changing.owes(index, gone)).isTrue();

        changing.memberGone(0, gone); // the remove (or leave) is sent
        assertThat(changing.counts().lost()).as("no longer owed").isZero();
        assertThat(changing.owes(index, gone)).isFalse();
        List<Integer> waiting = new ArrayList<>();
        changing.forEachWaitingDevice(waiting::add);
        assertThat(waiting).as("waits for no device of the member who went").doesNotContain(gone);
        changing.deliveredReceipt(index, true);
        assertThat(changing.counts().receiptErrors())
                .as("the aggregated delivered receipt without the member who went")
                .isZero();

        assertThat(changing.delivered(index, gone, creator, changing.idOf(index), false))
                .as("delivered before the server dropped it: the application does not see it")
                .isEqualTo(Oracle.REFUSED);
        Oracle.OracleCounts counts = changing.counts();
        assertThat(counts.receiptErrors()).isZero();
        assertThat(counts.redelivered() + counts.duplicatesInSession()).isZero();
        assertThat(counts.delivered()).isEqualTo(3);
        assertThat(changing.delivered(index, gone, creator, changing.idOf(index), false))
                .as("a second copy to the member who went is a copy all the same")
                .isEqualTo(Oracle.DUPLICATE);
        assertThat(changing.counts().duplicatesInSession()).isEqualTo(1);

        readByAllBut(index, gone);
        changing.readReceipt(index, true);
        assertThat(changing.counts().receiptErrors())
                .as("read by every member who stayed")
                .isZero();
        assertThat(changing.settled()).isTrue();

        int[] after = Arrays.stream(half.members(0)).filter(m -> m != gone).toArray();
        half.changed(0, after);
        int later = toHalf(-1);
        assertThat(changing.delivered(later, gone, creator, changing.idOf(later), false))
                .as("a removed member gets no later message")
                .isEqualTo(Oracle.REFUSED);
        assertThat(changing.counts().receiptErrors()).isEqualTo(1 + 1); // that delivery; the later receipt missing
    }

    @Test
    void shouldCompleteTheAggregatedReadReceiptWhenTheLastMemberYetToReadGoes() {
        int creator = half.creator(0);
        int gone = nonCreator(3);
        int index = toHalf(-1);
        changing.deliveredReceipt(index, true);
        readByAllBut(index, gone);
        changing.readReceipt(index, true);
        assertThat(changing.counts().receiptErrors())
                .as("one member has not read: early")
                .isEqualTo(1);
        changing.memberGone(0, gone);
        changing.readReceipt(index, true);
        assertThat(changing.counts().receiptErrors())
                .as("due once the last one who had not read went")
                .isEqualTo(1);
        assertThat(changing.waived(index, gone)).isTrue();
        assertThat(changing.waived(index, nonCreator(0))).isFalse();
    }

    /**
     * A group message's read receipt names the group. The server used to send a one-to-one receipt naming a member
     * whose read reached it after the member went, and the oracle let that pass; it no longer does, so any
     * one-to-one read receipt for a group message is an error, from a member who stayed or went.
     */
    @Test
    void shouldCountEveryOneToOneReadReceiptForAGroupMessageAsAnError() {
        int read = nonCreator(0);
        int stays = nonCreator(2);
        int index = toHalf(-1);
        changing.deliveredReceipt(index, true);
        changing.readSent(index, read);
        changing.readSent(index, stays);
        changing.readReceipt(index, false);
        assertThat(changing.counts().receiptErrors()).isEqualTo(1);

        changing.memberGone(0, read);
        changing.readReceipt(index, false); // its read reached the server after it went
        assertThat(changing.counts().receiptErrors()).isEqualTo(2);
    }

    // ---- several devices per user ----------------------------------------------------------------------------------

    private final DeviceSlots two = new DeviceSlots(2);
    private final Oracle devices = new Oracle(plan, two, 1024, 20);

    /** Device {@code device} of user index {@code user}, with two devices each. */
    private int device(int user, int device) {
        return two.slot(user, device);
    }

    private int sendAndAck(int senderDevice, int recipient) {
        int index = wired(devices, devices.sent(senderDevice, recipient));
        devices.acked(index);
        return index;
    }

    @Test
    void shouldCountADeliveryMissingOnOneDeviceOfTheRecipientAsLostAndWaitForThatDevice() {
        int index = sendAndAck(device(0, 1), 1);
        assertThat(devices.delivered(index, device(1, 1), device(0, 1), devices.idOf(index), false))
                .isEqualTo(Oracle.NEW_TO_READER);
        assertThat(devices.counts().lost()).isEqualTo(1);
        List<Integer> waiting = new ArrayList<>();
        devices.forEachWaitingDevice(waiting::add);
        assertThat(waiting).containsExactly(device(1, 2));
        assertThat(devices.settled()).isFalse();
        assertThat(devices.delivered(index, device(1, 2), device(0, 1), devices.idOf(index), false))
                .as("the user's second device: a delivery, not a second read")
                .isEqualTo(Oracle.NEW_TO_DEVICE);
        devices.deliveredReceipt(index, false);
        assertThat(devices.counts().lost()).isZero();
        assertThat(devices.counts().delivered()).isEqualTo(2);
        assertThat(devices.settled()).isTrue();
    }

    /** What lost and the missing receipts count, entry by entry, as the server's walk at a run's end asks it. */
    @Test
    void shouldOweExactlyTheDeliveriesLostCountsAndMissExactlyTheReceiptsDue() {
        int unanswered = wired(devices, devices.sent(device(0, 1), 1));
        assertThat(devices.owes(unanswered, device(1, 1)))
                .as("not acknowledged: not owed")
                .isFalse();
        int index = sendAndAck(device(0, 1), 1);
        assertThat(devices.owes(index, device(1, 1))).isTrue();
        assertThat(devices.owes(index, device(1, 2))).isTrue();
        assertThat(devices.owes(index, device(0, 1))).as("the sending device").isFalse();
        assertThat(devices.owes(index, device(2, 1))).as("another user").isFalse();
        devices.delivered(index, device(1, 1), device(0, 1), devices.idOf(index), false);
        assertThat(devices.owes(index, device(1, 1))).isFalse();
        assertThat(devices.missingReceipt(index, ReceiptKind.DELIVERED))
                .as("a device still to go")
                .isFalse();
        devices.delivered(index, device(1, 2), device(0, 1), devices.idOf(index), false);
        assertThat(devices.missingReceipt(index, ReceiptKind.DELIVERED)).isTrue();
        assertThat(devices.missingReceipt(index, ReceiptKind.READ))
                .as("not read")
                .isFalse();
        devices.deliveredReceipt(index, false);
        assertThat(devices.missingReceipt(index, ReceiptKind.DELIVERED)).isFalse();
    }

    @Test
    void shouldCountADeliveredReceiptBeforeTheRecipientsLastDeviceHasItAsAReceiptError() {
        int index = sendAndAck(device(2, 2), 3);
        devices.delivered(index, device(3, 2), device(2, 2), devices.idOf(index), false);
        devices.deliveredReceipt(index, false); // device 1 of user 3 has not acknowledged yet
        assertThat(devices.counts().receiptErrors()).isEqualTo(1);
        devices.delivered(index, device(3, 1), device(2, 2), devices.idOf(index), false);
        devices.deliveredReceipt(index, false);
        assertThat(devices.counts().receiptErrors()).isEqualTo(1);
        assertThat(devices.indexOf(device(2, 1), devices.idOf(index)))
                .as("receipts go to the sending device, not another device of its user")
                .isEqualTo(-1);
    }

    @Test
    void shouldCountACopyOnOneDeviceAsADuplicateAndTheOtherDeviceAsADelivery() {
        int index = sendAndAck(device(0, 1), 1);
        devices.delivered(index, device(1, 2), device(0, 1), devices.idOf(index), false);
        assertThat(devices.delivered(index, device(1, 2), device(0, 1), devices.idOf(index), false))
                .isEqualTo(Oracle.DUPLICATE);
        assertThat(devices.delivered(index, device(1, 1), device(0, 1), devices.idOf(index), false))
                .isEqualTo(Oracle.NEW_TO_DEVICE);
        Oracle.OracleCounts counts = devices.counts();
        assertThat(counts.duplicatesInSession()).isEqualTo(1);
        assertThat(counts.delivered()).isEqualTo(2);
        assertThat(counts.lost()).isZero();
    }

    @Test
    void shouldOweAGroupMessageToTheSendersOtherDeviceWithoutHoldingBackTheAggregatedReceipt() {
        int index = wired(devices, devices.sentToGroup(device(0, 1), 0));
        devices.acked(index);
        for (int member = 1; member < 10; member++) {
            assertThat(devices.delivered(index, device(member, 2), device(0, 1), devices.idOf(index), false))
                    .isEqualTo(Oracle.NEW_TO_READER);
            assertThat(devices.delivered(index, device(member, 1), device(0, 1), devices.idOf(index), false))
                    .isEqualTo(Oracle.NEW_TO_DEVICE);
        }
        devices.deliveredReceipt(index, true); // every other member's devices have it: due, right
        assertThat(devices.counts().receiptErrors()).isZero();
        assertThat(devices.counts().lost()).as("the sender's device 2").isEqualTo(1);
        List<Integer> waiting = new ArrayList<>();
        devices.forEachWaitingDevice(waiting::add);
        assertThat(waiting).containsExactly(device(0, 2));
        assertThat(devices.delivered(index, device(0, 2), device(0, 1), devices.idOf(index), false))
                .as("the sender's own other device: a delivery, never a read")
                .isEqualTo(Oracle.NEW_TO_DEVICE);
        assertThat(devices.counts().lost()).isZero();
        assertThat(devices.delivered(index, device(0, 1), device(0, 1), devices.idOf(index), false))
                .as("the sending device itself is not a recipient")
                .isEqualTo(Oracle.REFUSED);
        assertThat(devices.counts().receiptErrors()).isEqualTo(1);
        assertThat(devices.counts().delivered()).isEqualTo(2 * 9 + 1);
    }

    @Test
    void shouldHoldTheAggregatedReceiptForEveryDeviceOfEveryOtherMemberUnlessThatMemberRead() {
        int index = wired(devices, devices.sentToGroup(device(0, 1), 0));
        devices.acked(index);
        for (int member = 1; member < 10; member++) {
            devices.delivered(index, device(member, 1), device(0, 1), devices.idOf(index), false);
        }
        devices.deliveredReceipt(index, true); // no member's device 2 has it yet
        assertThat(devices.counts().receiptErrors()).isEqualTo(1);
        for (int member = 1; member < 9; member++) {
            devices.delivered(index, device(member, 2), device(0, 1), devices.idOf(index), false);
        }
        devices.readSent(index, 9); // the server takes member 9's read as its delivery
        devices.deliveredReceipt(index, true);
        assertThat(devices.counts().receiptErrors()).isEqualTo(1);
        assertThat(devices.counts().lost())
                .as("member 9's and the sender's device 2 are still owed the message")
                .isEqualTo(2);
    }

    @Test
    void shouldCheckOrderPerSendingDeviceAtEachRecipientDeviceWithSlotsUpToEightMillion() {
        DeviceSlots eight = new DeviceSlots(8);
        Oracle large = new Oracle(plan, eight, 1024, 80);
        int sender = eight.slot(999_999, 8);
        int otherSender = eight.slot(999_999, 7);
        int first = wired(large, large.sent(sender, 999_998));
        int fromOther = wired(large, large.sent(otherSender, 999_998));
        int second = wired(large, large.sent(sender, 999_998));
        large.delivered(second, eight.slot(999_998, 8), sender, large.idOf(second), false);
        large.delivered(fromOther, eight.slot(999_998, 8), otherSender, large.idOf(fromOther), false);
        large.delivered(first, eight.slot(999_998, 1), sender, large.idOf(first), false); // another device: in order
        assertThat(large.counts().reordered()).isZero();
        large.delivered(first, eight.slot(999_998, 8), sender, large.idOf(first), false);
        assertThat(large.counts().reordered()).isEqualTo(1);
        assertThat(large.counts().delivered()).isEqualTo(4);
    }

    /** Message {@code index} goes on the wire as soon as it is sent, as {@link PlainEnvelopes} sends it: its id. */
    private static int wired(Oracle oracle, int index) {
        oracle.ids().workload(oracle.senderOf(index), index);
        return index;
    }
}
