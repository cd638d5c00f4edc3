package io.switchboard.core.owner;

import io.switchboard.core.protocol.FrameText;

/**
 * How one owner of state (a shard, or a lock stripe) reaches the others for group and presence work: it posts a task
 * that the target owner runs on its own terms (its thread, or under its lock). Tasks from one owner to another run in
 * the order they were posted. A task runs only code of its target, and may post further tasks (an answer to the owner
 * that asked, a release, a group event); but a post made while the owner runs a task never waits for room: the router
 * keeps it and posts it once the owner is back at the top of its work (a shard's deferred list; locked routing posts
 * every task after the poster's lock is released). So an owner waits for room only at top level, its waits never
 * nest, a waiting owner keeps running the tasks posted to it, and two owners cannot deadlock.
 */
public interface Peers {
    /** How many owners there are; owners are numbered from 0. */
    int owners();

    /** The owner these peers serve. */
    int self();

    /** The owner of a user's devices, queues, presence and of the receipts for what the user sent. */
    int ownerOfUser(long user);

    /**
     * Runs {@code task} on {@code owner}, in posting order: at once or after the caller's command, as the router
     * likes; either way after the caller's own frames written so far. Called from within a task, it never waits.
     */
    void post(int owner, PeerTask task);

    /** The owner of a group, by a hash (FNV-1a) of its id that the routers share. */
    static int ownerOfGroup(FrameText group, int owners) {
        int hash = 0x811C9DC5;
        for (int i = 0, n = group.length(); i < n; i++) {
            hash = (hash ^ group.byteAt(i)) * 0x01000193;
        }
        return (int) ((hash & 0xFFFF_FFFFL) % owners);
    }

    /** As {@link #ownerOfGroup(FrameText, int)}, for an id held as a string (group ids are ASCII). */
    static int ownerOfGroup(String group, int owners) {
        int hash = 0x811C9DC5;
        for (int i = 0, n = group.length(); i < n; i++) {
            hash = (hash ^ (byte) group.charAt(i)) * 0x01000193;
        }
        return (int) ((hash & 0xFFFF_FFFFL) % owners);
    }

    /** Work for another owner. */
    @FunctionalInterface
    interface PeerTask {
        void run(Owner target);
    }
}
