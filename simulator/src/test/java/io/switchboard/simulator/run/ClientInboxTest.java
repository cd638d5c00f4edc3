package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.net.DeviceSlots;
import org.junit.jupiter.api.Test;

/**
 * The client shows a message once per recipient device, sending device and conversation: one-to-one only (its ids in
 * an array by pair of devices) and with groups (in a map keyed by conversation too).
 */
class ClientInboxTest {
    private final ClientInbox oneToOne = new ClientInbox(1024, new DeviceSlots(1), 8, 1);
    private final ClientInbox withGroups = new ClientInbox(1024, new DeviceSlots(1), 8, 8);

    @Test
    void shouldShowAMessageOnceAndDropItsCopies() {
        for (ClientInbox inbox : new ClientInbox[] {oneToOne, withGroups}) {
            assertThat(inbox.show(1, 2, 0, 10)).isTrue();
            assertThat(inbox.show(1, 2, 0, 10)).isFalse();
            assertThat(inbox.show(1, 2, 0, 9))
                    .as("an older id from the same sender")
                    .isFalse();
            assertThat(inbox.show(1, 2, 0, 11)).isTrue();
        }
    }

    @Test
    void shouldKeepRecipientDevicesAndSendersApart() {
        for (ClientInbox inbox : new ClientInbox[] {oneToOne, withGroups}) {
            assertThat(inbox.show(1, 2, 0, 10)).isTrue();
            assertThat(inbox.show(3, 2, 0, 10)).as("another recipient device").isTrue();
            assertThat(inbox.show(1, 4, 0, 10)).as("another sending device").isTrue();
            assertThat(inbox.show(2, 1, 0, 10))
                    .as("the pair the other way round")
                    .isTrue();
            assertThat(inbox.show(7, 7, 0, 10)).as("the last slot").isTrue();
            assertThat(inbox.show(7, 7, 0, 10)).isFalse();
        }
    }

    @Test
    void shouldKeepConversationsApart() {
        assertThat(withGroups.show(1, 2, 0, 10)).isTrue();
        assertThat(withGroups.show(1, 2, 7, 5))
                .as("a group: ids of one sender interleave across conversations")
                .isTrue();
        assertThat(withGroups.show(1, 2, 0, 11)).isTrue();
    }

    /**
     * Counting the copies shown ({@code duplicatesToApp}): one-to-one, the decisions wait for {@code settle} and come
     * out as they would have at each delivery; with groups, each is decided at once.
     */
    @Test
    void shouldCountTheCopiesShownTheSameWhetherDecidedAtOnceOrAfterTheDrain() {
        long[] atOnce = new long[2];
        ClientInbox[] inboxes = {oneToOne, withGroups};
        for (int i = 0; i < 2; i++) {
            ClientInbox inbox = inboxes[i];
            atOnce[i] += inbox.delivered(1, 2, 0, 10, false) ? 1 : 0;
            atOnce[i] += inbox.delivered(1, 2, 0, 10, true) ? 1 : 0;
            atOnce[i] += inbox.delivered(1, 2, 0, 9, true) ? 1 : 0;
            // A copy with a higher id than shown, as after a lost delivery: the application shows it.
            atOnce[i] += inbox.delivered(1, 2, 0, 12, true) ? 1 : 0;
            atOnce[i] += inbox.delivered(3, 2, 0, 12, true) ? 1 : 0;
        }
        assertThat(atOnce[0]).as("one-to-one decides after the drain").isZero();
        assertThat(atOnce[1]).as("with groups, at once").isEqualTo(2);
        assertThat(oneToOne.settle()).isEqualTo(2);
        assertThat(oneToOne.settle()).as("each delivery is decided once").isZero();
        assertThat(withGroups.settle()).isZero();
    }
}
