package io.switchboard.core.message;

import io.switchboard.core.protocol.EnvelopeType;
import org.agrona.ExpandableArrayBuffer;

/**
 * One accepted group message: the single stored copy. Built by the group's owner and not changed once it is handed
 * to other owners, so the owners of the members share its body across all their member devices ({@code single-copy})
 * without copying. Its body is on the heap, or, past the heap's budget for bodies, only in the group owner's journal
 * ({@link #body()} null, read back with {@link #readBody}); the group's owner decides which before it hands the message
 * on, and lets the heap's copy go once every owner of members released the message.
 */
public final class GroupMessage {
    private final String group;
    private final int owner;
    private final long senderUser;
    private final int senderDevice;
    private final long id;
    private final long ts;
    private final EnvelopeType type;
    /** Null once the body is only in the journal; cleared by the group's owner only when no other owner reads it. */
    private byte[] body;

    private final int bodyLength;
    private final byte[] mediaId;
    private final long mediaSize;
    private final long[] members;
    private int cycle;
    /** Where the group's owner journaled this copy, and how to read its body back; null before, or with no journal. */
    private StoredBodies stored;

    private long storedIndex;
    /** The owners of members that have not released the message yet; kept by the group's owner. */
    private int pendingOwners;

    /**
     * @param owner the owner of the group, which stored this copy
     * @param members the group's members when it was sent, sorted (shared, never modified): its delivery list's entries
     */
    public GroupMessage(
            String group,
            int owner,
            long senderUser,
            int senderDevice,
            long id,
            long ts,
            EnvelopeType type,
            byte[] body,
            byte[] mediaId,
            long mediaSize,
            long[] members) {
        this.group = group;
        this.owner = owner;
        this.senderUser = senderUser;
        this.senderDevice = senderDevice;
        this.id = id;
        this.ts = ts;
        this.type = type;
        this.body = body;
        this.bodyLength = body.length;
        this.mediaId = mediaId;
        this.mediaSize = mediaSize;
        this.members = members;
    }

    public String group() {
        return group;
    }

    public int owner() {
        return owner;
    }

    public long senderUser() {
        return senderUser;
    }

    public int senderDevice() {
        return senderDevice;
    }

    /** The sending device's key ({@code user * 64 + device}), as de-duplication and delivery lists use it. */
    public long senderKey() {
        return SenderKey.of(senderUser, senderDevice);
    }

    public long id() {
        return id;
    }

    public long ts() {
        return ts;
    }

    public EnvelopeType type() {
        return type;
    }

    /** The body, or null when it is only in the journal ({@link #readBody}). */
    public byte[] body() {
        return body;
    }

    public int bodyLength() {
        return bodyLength;
    }

    /** Where the group's owner journaled this copy: set before anyone else sees it. */
    public void storedAt(long index, StoredBodies bodies) {
        this.storedIndex = index;
        this.stored = bodies;
    }

    /**
     * The heap lets the body go: it is read back from the journal from now on ({@link #readBody}), or, once every owner
     * of members released the message, no longer needed at all. By the group's owner, before it hands the message on
     * or after the last release.
     */
    public void dropBody() {
        body = null;
    }

    /** Reads the body back from the journal into {@code into}; its length, or -1 when it cannot be (logged). */
    public int readBody(ExpandableArrayBuffer into) {
        return stored == null ? -1 : stored.read(storedIndex, into);
    }

    /** How many owners of members are to release the message, as the group's owner hands it on (or recovers it). */
    public void pendingOwners(int owners) {
        this.pendingOwners = owners;
    }

    /** One owner of members released the message; true when it was the last. Group's owner thread only. */
    public boolean ownerReleased() {
        return --pendingOwners == 0;
    }

    /** The media id's bytes, or null. */
    public byte[] mediaId() {
        return mediaId;
    }

    public long mediaSize() {
        return mediaSize;
    }

    public long[] members() {
        return members;
    }

    /** The journal roll cycle of the stored copy, at its owner; held until every member's owner released it. */
    public int cycle() {
        return cycle;
    }

    /** Set by the group's owner once the copy is journaled, before anyone else sees the message. */
    public void cycle(int cycle) {
        this.cycle = cycle;
    }
}
