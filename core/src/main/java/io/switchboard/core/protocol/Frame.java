package io.switchboard.core.protocol;

import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

/**
 * One mutable frame of any {@link FrameType}: decoders fill it, encoders write from it, and it is reused frame after
 * frame. Its texts, lists and body buffer grow to the largest frame seen and are then reused, so once warmed up it
 * allocates nothing. Only the fields of the current type mean anything; {@link #reset} clears them all.
 *
 * <p>Envelopes: a {@code send} carries {@code env}, one envelope per recipient device (device 0 for a group send,
 * which has no {@code device}). A {@code msg} carries one {@code type} and {@code body}: that is envelope 0, with
 * device 0. Bodies are the raw bytes, base64-decoded, in {@link #bodies()}.
 *
 * <p>Absent values: numbers read 0, texts are empty, enums are null; {@code has*} tells an optional field that was
 * set (or decoded) from one that was not. {@code to} is either {@link #toUser()} or {@link #toGroup()}: setting one
 * clears the other.
 *
 * <p>Not thread-safe: one thread fills or reads a frame at a time, and a frame is handed over (if at all) through
 * something that publishes safely.
 */
public final class Frame {
    private FrameType type;
    private final OptionalFields optional = new OptionalFields();
    private long user;
    private int device;
    private long id;
    private long seq;
    private long ts;
    private long req;
    private long lastSeen;
    private long by;
    private boolean ok;
    private boolean online;
    private boolean on;
    private long rseq;
    private long retryAfterMs;
    private boolean receiptAcks;
    private int preKeys;
    private int kyberPreKeys;
    private long toUser;
    private long fromUser;
    private int fromDevice;
    private long mediaSize;
    private long expiresAt;
    private ErrorCode code;
    private ReceiptKind kind;
    private GroupEventKind event;
    private final FrameText toGroup = new FrameText();
    private final FrameText token = new FrameText(32);
    private final FrameText group = new FrameText();
    private final FrameText name = new FrameText();
    private final FrameText message = new FrameText(64);
    private final FrameText mediaId = new FrameText(32);
    private final FrameText invite = new FrameText(32);
    private final Envelopes envelopes = new Envelopes();
    private final LongArrayList ids = new LongArrayList();
    private final LongArrayList members = new LongArrayList();
    private final LongArrayList admins = new LongArrayList();
    private final LongArrayList invited = new LongArrayList();
    private final IntArrayList missing = new IntArrayList();
    private final IntArrayList extra = new IntArrayList();

    /** Clears every field and sets the type. */
    public Frame reset(final FrameType type) {
        this.type = type;
        optional.clear();
        user = id =
                seq = ts = req = lastSeen = by = toUser = fromUser = mediaSize = rseq = retryAfterMs = expiresAt = 0;
        device = fromDevice = preKeys = kyberPreKeys = 0;
        ok = online = on = receiptAcks = false;
        code = null;
        kind = null;
        event = null;
        toGroup.clear();
        token.clear();
        group.clear();
        name.clear();
        message.clear();
        mediaId.clear();
        invite.clear();
        envelopes.clear();
        ids.clear();
        members.clear();
        admins.clear();
        invited.clear();
        missing.clear();
        extra.clear();
        return this;
    }

    public FrameType type() {
        return type;
    }

    // Scalars.

    public long user() {
        return user;
    }

    public int device() {
        return device;
    }

    public long id() {
        return id;
    }

    public long seq() {
        return seq;
    }

    public long ts() {
        return ts;
    }

    public long req() {
        return req;
    }

    public long lastSeen() {
        return lastSeen;
    }

    public long by() {
        return by;
    }

    public boolean ok() {
        return ok;
    }

    public boolean online() {
        return online;
    }

    public boolean on() {
        return on;
    }

    /** A receipt's sequence number for {@code receipt.ack}, or 0 when the session did not ask for receipt acks. */
    public long rseq() {
        return rseq;
    }

    /** How long a {@code rate-limited} client should wait before it tries again, or 0 when absent. */
    public long retryAfterMs() {
        return retryAfterMs;
    }

    /** Whether a {@code hello} asks for (or a {@code welcome} grants) acknowledged receipts. */
    public boolean receiptAcks() {
        return receiptAcks;
    }

    /** One-time EC pre-keys the device has left, in {@code keys.low}. */
    public int preKeys() {
        return preKeys;
    }

    /** One-time Kyber pre-keys the device has left, in {@code keys.low}. */
    public int kyberPreKeys() {
        return kyberPreKeys;
    }

    public long mediaSize() {
        return mediaSize;
    }

    public ErrorCode code() {
        return code;
    }

    public ReceiptKind kind() {
        return kind;
    }

    public GroupEventKind event() {
        return event;
    }

    // Addressing.

    /** The recipient user of {@code to}, or 0 when {@code to} names a group or is absent. */
    public long toUser() {
        return toUser;
    }

    /** The recipient group of {@code to}; empty when {@code to} names a user or is absent. */
    public FrameText toGroup() {
        return toGroup;
    }

    public boolean hasToGroup() {
        return !toGroup.isEmpty();
    }

    /** The {@code from} user, or 0 when absent (a typing frame sent by a client has {@code to} instead). */
    public long fromUser() {
        return fromUser;
    }

    /** The {@code from} device, or 0 when absent (a relayed typing frame names only the user). */
    public int fromDevice() {
        return fromDevice;
    }

    // Texts.

    public FrameText token() {
        return token;
    }

    /** The top-level {@code group} of {@code msg}, {@code group.*}, {@code group.event} and relayed typing. */
    public FrameText group() {
        return group;
    }

    public FrameText name() {
        return name;
    }

    public FrameText message() {
        return message;
    }

    /** A group invite's code ({@code group.invite}, {@code group.join}). */
    public FrameText invite() {
        return invite;
    }

    /** When a {@code group.invite} expires, ms since the epoch (server clock). */
    public long expiresAt() {
        return expiresAt;
    }

    /** The users a group request invited instead of adding them (a {@code result}). */
    public LongArrayList invited() {
        return invited;
    }

    public boolean hasInvited() {
        return optional.has(OptionalFields.INVITED) || !invited.isEmpty();
    }

    public FrameText mediaId() {
        return mediaId;
    }

    public boolean hasId() {
        return optional.has(OptionalFields.ID);
    }

    /** Whether {@code req} was set or decoded: 0 is a valid request number, so the value cannot tell. */
    public boolean hasReq() {
        return optional.has(OptionalFields.REQ);
    }

    public boolean hasName() {
        return optional.has(OptionalFields.NAME);
    }

    public boolean hasMessage() {
        return optional.has(OptionalFields.MESSAGE);
    }

    public boolean hasMedia() {
        return optional.has(OptionalFields.MEDIA);
    }

    public boolean hasLastSeen() {
        return optional.has(OptionalFields.LAST_SEEN);
    }

    // Lists: primitive access only on hot paths (getLong/addLong), never the boxing List methods.

    public LongArrayList ids() {
        return ids;
    }

    public LongArrayList members() {
        return members;
    }

    public LongArrayList admins() {
        return admins;
    }

    public IntArrayList missing() {
        return missing;
    }

    public IntArrayList extra() {
        return extra;
    }

    /**
     * Whether a frame where {@code members} is optional ({@code result}) carries it: it was decoded, even empty, or
     * has entries. Likewise {@link #hasAdmins()}, {@link #hasMissing()} and {@link #hasExtra()}.
     */
    public boolean hasMembers() {
        return optional.has(OptionalFields.MEMBERS) || !members.isEmpty();
    }

    public boolean hasAdmins() {
        return optional.has(OptionalFields.ADMINS) || !admins.isEmpty();
    }

    public boolean hasMissing() {
        return optional.has(OptionalFields.MISSING) || !missing.isEmpty();
    }

    public boolean hasExtra() {
        return optional.has(OptionalFields.EXTRA) || !extra.isEmpty();
    }

    // Envelopes.

    public int envelopeCount() {
        return envelopes.count();
    }

    /** The envelope's recipient device, or 0 when it has none (group sends, msg). */
    public int envelopeDevice(final int index) {
        return envelopes.device(index);
    }

    public EnvelopeType envelopeType(final int index) {
        return envelopes.type(index);
    }

    /** Where the envelope's raw (base64-decoded) body starts in {@link #bodies()}. */
    public int envelopeBodyOffset(final int index) {
        return envelopes.bodyOffset(index);
    }

    public int envelopeBodyLength(final int index) {
        return envelopes.bodyLength(index);
    }

    /** The buffer that envelope body offsets point into; valid until the next reset or decode. */
    public DirectBuffer bodies() {
        return envelopes.bodies();
    }

    /** A copy of the envelope's body: for tests and clients, not hot paths. */
    public byte[] envelopeBody(final int index) {
        return envelopes.body(index);
    }

    /** Adds an envelope, copying {@code length} body bytes from {@code src}. Use device 0 for none. */
    public Frame addEnvelope(
            final int device, final EnvelopeType type, final DirectBuffer src, final int offset, final int length) {
        envelopes.add(device, type, src, offset, length);
        return this;
    }

    public Frame addEnvelope(final int device, final EnvelopeType type, final byte[] body) {
        envelopes.add(device, type, body);
        return this;
    }

    // Fluent setters. They store what they are given: the encoder trusts the frame, the decoder validates input.

    public Frame user(final long user) {
        this.user = user;
        return this;
    }

    public Frame device(final int device) {
        this.device = device;
        return this;
    }

    public Frame token(final CharSequence token) {
        this.token.set(token);
        return this;
    }

    /** Sets the message id; for {@code error}, where it is optional, this also makes it present. */
    public Frame id(final long id) {
        this.id = id;
        optional.mark(OptionalFields.ID);
        return this;
    }

    public Frame seq(final long seq) {
        this.seq = seq;
        return this;
    }

    public Frame ts(final long ts) {
        this.ts = ts;
        return this;
    }

    /** Sets the request number; for {@code error}, where it is optional, this also makes it present. */
    public Frame req(final long req) {
        this.req = req;
        optional.mark(OptionalFields.REQ);
        return this;
    }

    public Frame toUser(final long user) {
        toUser = user;
        toGroup.clear();
        return this;
    }

    public Frame toGroup(final CharSequence group) {
        toGroup.set(group);
        toUser = 0;
        return this;
    }

    public Frame from(final long user, final int device) {
        fromUser = user;
        fromDevice = device;
        return this;
    }

    public Frame group(final CharSequence group) {
        this.group.set(group);
        return this;
    }

    /** Sets the name and makes it present; null removes it. */
    public Frame name(final CharSequence name) {
        this.name.set(name);
        return mark(OptionalFields.NAME, name != null);
    }

    /** Sets the message and makes it present; null removes it. */
    public Frame message(final CharSequence message) {
        this.message.set(message);
        return mark(OptionalFields.MESSAGE, message != null);
    }

    public Frame code(final ErrorCode code) {
        this.code = code;
        return this;
    }

    public Frame kind(final ReceiptKind kind) {
        this.kind = kind;
        return this;
    }

    public Frame event(final GroupEventKind event) {
        this.event = event;
        return this;
    }

    public Frame by(final long by) {
        this.by = by;
        return this;
    }

    public Frame ok(final boolean ok) {
        this.ok = ok;
        return this;
    }

    public Frame online(final boolean online) {
        this.online = online;
        return this;
    }

    public Frame lastSeen(final long lastSeen) {
        this.lastSeen = lastSeen;
        optional.mark(OptionalFields.LAST_SEEN);
        return this;
    }

    public Frame on(final boolean on) {
        this.on = on;
        return this;
    }

    public Frame rseq(final long rseq) {
        this.rseq = rseq;
        return this;
    }

    /** Sets {@code retryAfterMs} of a {@code rate-limited} error (at least 1; 0 leaves it absent). */
    public Frame retryAfterMs(final long retryAfterMs) {
        this.retryAfterMs = retryAfterMs;
        return this;
    }

    public Frame receiptAcks(final boolean receiptAcks) {
        this.receiptAcks = receiptAcks;
        return this;
    }

    public Frame preKeys(final int preKeys) {
        this.preKeys = preKeys;
        return this;
    }

    public Frame kyberPreKeys(final int kyberPreKeys) {
        this.kyberPreKeys = kyberPreKeys;
        return this;
    }

    /** Attaches media; a null id removes it. */
    public Frame media(final CharSequence id, final long size) {
        mediaId.set(id);
        mediaSize = id == null ? 0 : size;
        return mark(OptionalFields.MEDIA, id != null);
    }

    /** Attaches media whose id is {@code length} UTF-8 bytes of {@code src}; allocation-free. */
    public Frame media(final DirectBuffer src, final int offset, final int length, final long size) {
        mediaId.set(src, offset, length);
        mediaSize = size;
        optional.mark(OptionalFields.MEDIA);
        return this;
    }

    public Frame addId(final long id) {
        ids.addLong(id);
        return this;
    }

    public Frame invite(final CharSequence code) {
        invite.set(code);
        return this;
    }

    public Frame expiresAt(final long expiresAt) {
        this.expiresAt = expiresAt;
        return this;
    }

    public Frame addInvited(final long user) {
        invited.addLong(user);
        return this;
    }

    public Frame addMember(final long user) {
        members.addLong(user);
        return this;
    }

    public Frame addAdmin(final long user) {
        admins.addLong(user);
        return this;
    }

    public Frame addMissing(final int device) {
        missing.addInt(device);
        return this;
    }

    public Frame addExtra(final int device) {
        extra.addInt(device);
        return this;
    }

    /** The frame as {@code sb.json.v1} (bodies in base64), for logs and test failures; allocates. */
    @Override
    public String toString() {
        if (type == null) {
            return "Frame{}";
        }
        try {
            return new JsonFrameEncoder().encodeToString(this);
        } catch (final IllegalStateException ex) {
            return "Frame{t=" + type.wireName() + ", incomplete: " + ex.getMessage() + "}";
        }
    }

    /** Records that the decoder found an optional field, including an empty list. */
    void markPresent(final int field) {
        optional.mark(field);
    }

    /** The decoder fills {@link #mediaId()} in place, then records the size and that media is present. */
    void mediaSize(final long size) {
        mediaSize = size;
        optional.mark(OptionalFields.MEDIA);
    }

    Envelopes envelopes() {
        return envelopes;
    }

    private Frame mark(final int field, final boolean isPresent) {
        optional.mark(field, isPresent);
        return this;
    }
}
