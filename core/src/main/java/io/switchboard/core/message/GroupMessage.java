package io.switchboard.core.message;

import io.switchboard.core.protocol.EnvelopeType;

/**
 * One accepted group message: the single stored copy. Built by the group's owner and not changed once it is handed
 * to other owners, so the owners of the members share its body across all their member devices ({@code single-copy})
 * without copying.
 */
public final class GroupMessage {
    private final String group;
    private final int owner;
    private final long senderUser;
    private final int senderDevice;
    private final long id;
    private final long ts;
    private final EnvelopeType type;
    private final byte[] body;
    private final byte[] mediaId;
    private final long mediaSize;
    private final long[] members;
    private int cycle;

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

    public byte[] body() {
        return body;
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
