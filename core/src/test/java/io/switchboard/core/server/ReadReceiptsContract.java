package io.switchboard.core.server;

import static io.switchboard.core.server.GroupsContract.CAROL;
import static io.switchboard.core.server.GroupsContract.DAVE;
import static io.switchboard.core.server.GroupsContract.create;
import static io.switchboard.core.server.GroupsContract.expectEvent;
import static io.switchboard.core.server.GroupsContract.expectResult;
import static io.switchboard.core.server.GroupsContract.groupSend;
import static io.switchboard.core.server.GroupsContract.read;
import static io.switchboard.core.server.MessagingContract.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameType;
import io.switchboard.core.protocol.GroupEventKind;
import io.switchboard.core.protocol.ProtocolLimits;
import io.switchboard.core.protocol.ReceiptKind;
import io.switchboard.core.testing.TestClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * protocol.md, One-to-one item 6, end to end over real sockets: a {@code read} counts only for a message delivered to
 * the reader and not yet read, once; the server ignores every other id, so no one can make read receipts for messages
 * they never received. Each routing variant runs it through a subclass.
 */
@Timeout(60)
abstract class ReadReceiptsContract extends ServerContract {

    /** A read of ids {@code 1..count} of the sending device. */
    private static Frame readAll(long from, int device, int count) {
        Frame read = new Frame().reset(FrameType.READ).from(from, device);
        for (long id = 1; id <= count; id++) {
            read.addId(id);
        }
        return read;
    }

    /** Fences Bob's reads through every owner, then Alice's side, so that a receipt they made would be here. */
    private void expectNoReceipt(TestClient reader, TestClient sender) {
        expectNothing(reader);
        expectNothing(sender);
    }

    @Test
    void shouldSendNoReceiptForReadsOfMessagesNeverDeliveredToTheReader() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(CAROL, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken);
                TestClient carol = server.session(CAROL, 1, carolToken)) {
            alice.send(send(7, CAROL, "for Carol only"));
            alice.expect(FrameType.ACK);
            carol.expect(FrameType.MSG);

            bob.send(read(ALICE, 1, 7));
            bob.send(readAll(ALICE, 1, ProtocolLimits.MAX_LIST));
            bob.send(readAll(ALICE, 63, ProtocolLimits.MAX_LIST));
            bob.send(readAll(DAVE, 63, ProtocolLimits.MAX_LIST));

            expectNoReceipt(bob, alice);
        }
        try (TestClient alice = server.session(ALICE, 1, aliceToken)) {
            expectNothing(alice);
        }
    }

    @Test
    void shouldSendExactlyOneReadReceiptForADeliveredMessageAndNoneForASecondRead() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            alice.send(send(7, BOB, "hello"));
            alice.expect(FrameType.ACK);
            alice.send(send(8, BOB, "not read yet"));
            alice.expect(FrameType.ACK);
            bob.expect(FrameType.MSG);
            bob.expect(FrameType.MSG);

            bob.send(read(ALICE, 1, 7));
            Frame receipt = alice.expect(FrameType.RECEIPT);
            assertThat(receipt.id()).isEqualTo(7);
            assertThat(receipt.toUser()).isEqualTo(BOB);
            assertThat(receipt.kind()).isEqualTo(ReceiptKind.READ);

            bob.send(read(ALICE, 1, 7));
            expectNoReceipt(bob, alice);
        }
    }

    @Test
    void shouldSendAGroupsReadReceiptOnceWhenEveryMemberReadItAndIgnoreReadsOfNonMembersAndRepeats() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        String carolToken = server.register(CAROL, 1);
        String daveToken = server.register(DAVE, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken);
                TestClient carol = server.session(CAROL, 1, carolToken);
                TestClient dave = server.session(DAVE, 1, daveToken)) {
            alice.send(create(1, "g1", BOB, CAROL));
            expectResult(alice, 1);
            for (TestClient member : List.of(alice, bob, carol)) {
                expectEvent(member, GroupEventKind.ADDED);
            }
            alice.send(groupSend(8, "g1", "hello all"));
            alice.expect(FrameType.ACK);
            bob.send(recv(bob.expect(FrameType.MSG).seq()));
            carol.send(recv(carol.expect(FrameType.MSG).seq()));
            assertThat(alice.expect(FrameType.RECEIPT).kind()).isEqualTo(ReceiptKind.DELIVERED);

            bob.send(read(ALICE, 1, 8));
            bob.send(read(ALICE, 1, 8));
            dave.send(read(ALICE, 1, 8));
            expectNothing(dave);
            expectNoReceipt(bob, alice);

            carol.send(read(ALICE, 1, 8));
            Frame receipt = alice.expect(FrameType.RECEIPT);
            assertThat(receipt.id()).isEqualTo(8);
            assertThat(receipt.toGroup().toString()).isEqualTo("g1");
            assertThat(receipt.kind()).isEqualTo(ReceiptKind.READ);

            bob.send(read(ALICE, 1, 8));
            carol.send(read(ALICE, 1, 8));
            expectNothing(carol);
            expectNoReceipt(bob, alice);
        }
    }

    @Test
    void shouldKeepWhatWasDeliveredAndWhatWasReadAcrossARestart() {
        String aliceToken = server.register(ALICE, 1);
        String bobToken = server.register(BOB, 1);
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            for (long id = 1; id <= 2; id++) {
                alice.send(send(id, BOB, "m" + id));
                alice.expect(FrameType.ACK);
                bob.send(recv(bob.expect(FrameType.MSG).seq()));
                assertThat(alice.expect(FrameType.RECEIPT).kind()).isEqualTo(ReceiptKind.DELIVERED);
            }
            bob.send(read(ALICE, 1, 1));
            assertThat(alice.expect(FrameType.RECEIPT).id()).isEqualTo(1);
        }
        restart();
        try (TestClient alice = server.session(ALICE, 1, aliceToken);
                TestClient bob = server.session(BOB, 1, bobToken)) {
            bob.send(read(ALICE, 1, 1));
            bob.send(read(ALICE, 1, 2));
            Frame receipt = alice.expect(FrameType.RECEIPT);
            assertThat(receipt.kind()).isEqualTo(ReceiptKind.READ);
            assertThat(receipt.id()).as("1 was read before the restart").isEqualTo(2);
            expectNoReceipt(bob, alice);
        }
    }
}
