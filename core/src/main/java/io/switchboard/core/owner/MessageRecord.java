package io.switchboard.core.owner;

/**
 * One accepted message as one recipient user holds it, shared by the queue entries of all that user's devices. It knows which of
 * those devices have not yet acknowledged it, so the device whose {@code recv} clears the last bit triggers the
 * sender's {@code delivered} receipt. Owned by the recipient's shard thread; a one-to-one message's is used again for a
 * later message once every device's entry left ({@link MessageRecords}).
 */
public final class MessageRecord {
    private long senderUser;
    private int senderDevice;
    private long id;
    private long ts;
    private byte[] mediaId;
    private long mediaSize;
    private long pendingDevices;
    private GroupCopy copy;
    private boolean journaled;
    private int cycle;
    private boolean deliveredToUser;

    public MessageRecord(
            long senderUser, int senderDevice, long id, long ts, long pendingDevices, byte[] mediaId, long mediaSize) {
        reset(senderUser, senderDevice, id, ts, pendingDevices, mediaId, mediaSize);
    }

    /** Makes this record a new message's, every field set: how {@link MessageRecords} hands one out again. */
    MessageRecord reset(
            long senderUser, int senderDevice, long id, long ts, long pendingDevices, byte[] mediaId, long mediaSize) {
        this.senderUser = senderUser;
        this.senderDevice = senderDevice;
        this.id = id;
        this.ts = ts;
        this.pendingDevices = pendingDevices;
        this.mediaId = mediaId;
        this.mediaSize = mediaSize;
        this.copy = null;
        this.journaled = false;
        this.cycle = 0;
        this.deliveredToUser = false;
        return this;
    }

    public long senderUser() {
        return senderUser;
    }

    public int senderDevice() {
        return senderDevice;
    }

    public long id() {
        return id;
    }

    /** Server time of acceptance, ms since the epoch: the {@code ts} of the ack and of every {@code msg}. */
    public long ts() {
        return ts;
    }

    /** The media id's bytes, or null when the message names no media. */
    public byte[] mediaId() {
        return mediaId;
    }

    public long mediaSize() {
        return mediaSize;
    }

    /** The group a group message was sent to, or null for a one-to-one message. */
    public String group() {
        return copy == null ? null : copy.message().group();
    }

    /** This owner's share of a group message, or null for a one-to-one message. */
    GroupCopy copy() {
        return copy;
    }

    void copy(GroupCopy copy) {
        this.copy = copy;
    }

    boolean hasPending() {
        return pendingDevices != 0;
    }

    /** Adds a device that has yet to acknowledge (replay builds a group message's record device by device). */
    void pending(int device) {
        pendingDevices |= 1L << device;
    }

    /** Whether this message is in the journal (so its acknowledgements go there too). */
    boolean journaled() {
        return journaled;
    }

    void journaled(boolean journaled) {
        this.journaled = journaled;
    }

    /** The journal roll cycle holding this message, kept until every device acknowledged it. */
    int cycle() {
        return cycle;
    }

    void cycle(int cycle) {
        this.cycle = cycle;
    }

    /** Whether a device of the user was written or acknowledged it, so that the user may read it. */
    boolean deliveredToUser() {
        return deliveredToUser;
    }

    void deliveredToUser(boolean delivered) {
        this.deliveredToUser = delivered;
    }

    /** Clears the device's bit; true when it was the last device still to acknowledge. */
    boolean acknowledgedBy(int device) {
        long bit = 1L << device;
        if ((pendingDevices & bit) == 0) {
            return false;
        }
        pendingDevices &= ~bit;
        return pendingDevices == 0;
    }
}
