package io.switchboard.core.owner;

import io.switchboard.core.message.GroupMessage;

/**
 * What one owner of members holds of a group message: the message, and how many of its member users here still have
 * a device that has not acknowledged it. At zero the owner tells the group's owner, which may then let its stored copy
 * go. Owned by the members' owner thread.
 */
final class GroupCopy {
    private final GroupMessage message;
    private int pendingUsers;
    /** What the single copy counts in the server's budget of queued bytes while it is held here (0: not counted). */
    private long chargedBytes;

    GroupCopy(GroupMessage message) {
        this.message = message;
    }

    GroupMessage message() {
        return message;
    }

    void userQueued() {
        pendingUsers++;
    }

    /** A member user has it everywhere (or lost it); true when that was the last one here. */
    boolean userDone() {
        return --pendingUsers == 0;
    }

    long chargedBytes() {
        return chargedBytes;
    }

    void chargedBytes(long bytes) {
        this.chargedBytes = bytes;
    }

    boolean done() {
        return pendingUsers == 0;
    }
}
