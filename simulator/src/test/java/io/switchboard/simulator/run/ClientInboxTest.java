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
}
