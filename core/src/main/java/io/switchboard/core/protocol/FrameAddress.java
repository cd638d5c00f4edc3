package io.switchboard.core.protocol;

/**
 * What a frame from a client is addressed to, decided in this one place for the transport and both routings: a
 * <em>control</em> frame (a group request or group send, a presence subscription, typing) goes to the owner of a group
 * or of another user; every other frame after {@code hello} (one-to-one {@code send}, {@code recv}, {@code read},
 * {@code receipt.ack}, {@code ping}) takes the sender's own path.
 */
public final class FrameAddress {
    private FrameAddress() {}

    /** Whether the frame goes to the owner of {@link #groupOf} or of {@link #userOf} rather than the sender's path. */
    public static boolean isControl(Frame frame) {
        return switch (frame.type()) {
            case GROUP_CREATE, GROUP_ADD, GROUP_REMOVE, GROUP_LEAVE, GROUP_INFO, GROUP_JOIN, SUB, UNSUB, TYPING -> true;
            case SEND -> frame.hasToGroup();
            default -> false;
        };
    }

    /** The group whose owner takes a control frame, or null when the owner of {@link #userOf} does. */
    public static FrameText groupOf(Frame frame) {
        return switch (frame.type()) {
            case SEND, TYPING -> frame.hasToGroup() ? frame.toGroup() : null;
            case GROUP_CREATE, GROUP_ADD, GROUP_REMOVE, GROUP_LEAVE, GROUP_INFO, GROUP_JOIN -> frame.group();
            default -> null;
        };
    }

    /** The user whose owner takes a presence or one-to-one typing frame. */
    public static long userOf(Frame frame) {
        return frame.type() == FrameType.TYPING ? frame.toUser() : frame.user();
    }
}
