package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.simulator.net.DeviceSlots;
import org.junit.jupiter.api.Test;

/** The client shows a message once per recipient device, sending device and conversation. */
class ClientInboxTest {
    private final ClientInbox inbox = new ClientInbox(1024, new DeviceSlots(1), 8);

    @Test
    void shouldShowAMessageOnceAndDropItsCopies() {
        assertThat(inbox.show(1, 2, 0, 10)).isTrue();
        assertThat(inbox.show(1, 2, 0, 10)).isFalse();
        assertThat(inbox.show(1, 2, 0, 9))
                .as("an older id from the same sender")
                .isFalse();
        assertThat(inbox.show(1, 2, 0, 11)).isTrue();
    }

    @Test
    void shouldKeepRecipientDevicesSendersAndConversationsApart() {
        assertThat(inbox.show(1, 2, 0, 10)).isTrue();
        assertThat(inbox.show(3, 2, 0, 10)).as("another recipient device").isTrue();
        assertThat(inbox.show(1, 4, 0, 10)).as("another sending device").isTrue();
        assertThat(inbox.show(1, 2, 7, 5))
                .as("a group: ids of one sender interleave across conversations")
                .isTrue();
        assertThat(inbox.show(1, 2, 0, 11)).isTrue();
    }
}
