package io.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which owner takes each frame a client sends. */
class FrameAddressTest {
    @ParameterizedTest
    @EnumSource(
            value = FrameType.class,
            names = {"GROUP_CREATE", "GROUP_ADD", "GROUP_REMOVE", "GROUP_LEAVE", "GROUP_INFO", "GROUP_JOIN"})
    void shouldSendGroupRequestsToTheGroupsOwner(FrameType type) {
        Frame frame = new Frame().reset(type).group("g1");
        assertThat(FrameAddress.isControl(frame)).isTrue();
        assertThat(FrameAddress.groupOf(frame)).hasToString("g1");
    }

    @Test
    void shouldSendAGroupSendAndGroupTypingToTheGroupsOwnerAndOneToOneSendsTheSendersWay() {
        Frame groupSend = new Frame().reset(FrameType.SEND).toGroup("g2");
        assertThat(FrameAddress.isControl(groupSend)).isTrue();
        assertThat(FrameAddress.groupOf(groupSend)).hasToString("g2");

        Frame groupTyping = new Frame().reset(FrameType.TYPING).toGroup("g3").on(true);
        assertThat(FrameAddress.isControl(groupTyping)).isTrue();
        assertThat(FrameAddress.groupOf(groupTyping)).hasToString("g3");

        assertThat(FrameAddress.isControl(new Frame().reset(FrameType.SEND).toUser(99)))
                .isFalse();
    }

    @Test
    void shouldSendPresenceAndOneToOneTypingToTheOwnerOfTheUserTheyName() {
        Frame sub = new Frame().reset(FrameType.SUB).user(99);
        assertThat(FrameAddress.isControl(sub)).isTrue();
        assertThat(FrameAddress.groupOf(sub)).isNull();
        assertThat(FrameAddress.userOf(sub)).isEqualTo(99);

        Frame typing = new Frame().reset(FrameType.TYPING).toUser(77).on(true);
        assertThat(FrameAddress.isControl(typing)).isTrue();
        assertThat(FrameAddress.groupOf(typing)).isNull();
        assertThat(FrameAddress.userOf(typing)).isEqualTo(77);
    }

    @ParameterizedTest
    @EnumSource(
            value = FrameType.class,
            names = {"HELLO", "PING", "RECV", "READ", "RECEIPT_ACK"})
    void shouldLeaveTheSendersOwnFramesOnItsPath(FrameType type) {
        assertThat(FrameAddress.isControl(new Frame().reset(type))).isFalse();
    }
}
