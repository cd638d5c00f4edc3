package io.switchboard.core.session;

import io.switchboard.core.protocol.Frame;
import io.switchboard.core.protocol.FrameText;
import io.switchboard.core.protocol.FrameType;

/**
 * Everything one owner (a shard, or a lock stripe) holds: the sessions, queues and presence of its users, and its
 * groups. It takes the frames that are not one-to-one traffic: group requests, group sends, presence and typing.
 */
public final class Owner {
    private final SessionTable sessions;
    private final GroupTable groups;

    public Owner(SessionTable sessions, GroupTable groups) {
        this.sessions = sessions;
        this.groups = groups;
    }

    public SessionTable sessions() {
        return sessions;
    }

    /** A group, presence or typing frame from a device of {@code user}, routed here by {@link #groupOf}/{@link #userOf}. */
    public void control(long user, int device, long connection, Frame frame) {
        switch (frame.type()) {
            case SUB -> sessions.subscribe(frame.user(), connection);
            case UNSUB -> sessions.unsubscribe(frame.user(), connection);
            case TYPING -> {
                if (frame.hasToGroup()) {
                    groups.command(user, device, connection, frame);
                } else {
                    sessions.typing(user, frame.toUser(), frame.on());
                }
            }
            default -> groups.command(user, device, connection, frame);
        }
    }

    /** Whether the frame is one {@link #control} takes. */
    public static boolean isControl(Frame frame) {
        return switch (frame.type()) {
            case GROUP_CREATE, GROUP_ADD, GROUP_REMOVE, GROUP_LEAVE, GROUP_INFO, SUB, UNSUB, TYPING -> true;
            case SEND -> frame.hasToGroup();
            default -> false;
        };
    }

    /** The group whose owner takes a control frame, or null when the owner of {@link #userOf} does. */
    public static FrameText groupOf(Frame frame) {
        return switch (frame.type()) {
            case SEND, TYPING -> frame.hasToGroup() ? frame.toGroup() : null;
            case GROUP_CREATE, GROUP_ADD, GROUP_REMOVE, GROUP_LEAVE, GROUP_INFO -> frame.group();
            default -> null;
        };
    }

    /** The user whose owner takes a presence or one-to-one typing frame. */
    public static long userOf(Frame frame) {
        return frame.type() == FrameType.TYPING ? frame.toUser() : frame.user();
    }
}
