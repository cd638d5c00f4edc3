package io.switchboard.core.protocol;

import org.agrona.DirectBuffer;

/**
 * Decodes one {@code sb.json.v1} frame into a {@link Frame}, strictly: exactly one JSON object, a known {@code t},
 * every field of that type checked for JSON type, range, length and charset against {@link ProtocolLimits}, every
 * required field present, no duplicate field. Keys the type does not use are skipped (still validated as JSON).
 * Every violation is a {@link ProtocolException} with {@link ErrorCode#BAD_FRAME} naming the field; the frame's
 * content is then unspecified.
 *
 * <p>Once the frame and this decoder have grown to the largest frame seen, a successful decode allocates nothing:
 * strings are unescaped into the frame's {@link FrameText}s, bodies base64-decoded into its body buffer, enum
 * values matched as bytes.
 *
 * <p>{@code t} is read in the same pass when it is the first key, as every Switchboard encoder writes it. When it
 * is not, a first pass finds it, so that the second knows which fields to accept.
 *
 * <p>Not thread-safe: it keeps a reader and scratch buffers. Use one per thread.
 */
public final class JsonFrameDecoder {
    private final JsonReader reader = new JsonReader();
    private final FrameText key = new FrameText(JsonField.MAX_KEY_LENGTH);
    private final JsonValueReader values = new JsonValueReader(reader);
    private EnvelopeType msgType;
    private int msgBodyOffset;
    private int msgBodyLength;

    /** Decodes the frame in {@code length} bytes at {@code offset} of {@code src} into {@code into}. */
    public void decode(final DirectBuffer src, final int offset, final int length, final Frame into) {
        reader.wrap(src, offset, length);
        if (!reader.consumeIf('{')) {
            throw new ProtocolException(reader.peek() < 0 ? "empty frame" : "frame must be a JSON object");
        }
        final int membersStart = reader.position();
        FrameType type = leadingType();
        long seen;
        boolean more;
        if (type != null) {
            seen = JsonField.T.bit;
            more = reader.nextMember();
        } else {
            type = findType(membersStart);
            reader.position(membersStart);
            seen = 0;
            more = reader.firstMember();
        }
        into.reset(type);
        final long relevant = FrameShapes.relevant(type);
        final long required = FrameShapes.required(type);
        long present = seen;
        while (more) {
            final JsonField field = readKey();
            if (field == null || (relevant & field.bit) == 0) {
                skip(null, -1);
            } else {
                seen = markSeen(seen, field, null, -1);
                reader.context(field.wireName, null, -1);
                // null for an optional field means absent; for a required one it fails as the wrong JSON type.
                if ((required & field.bit) != 0 || !reader.consumeNull()) {
                    readField(field, type, into);
                    present |= field.bit;
                }
            }
            more = reader.nextMember();
        }
        reader.expectEnd();
        if ((present & required) != required) {
            throw missingField(type, required & ~present);
        }
        finish(type, into, present);
    }

    /** The type if {@code t} is the first key (then consumed), else null. */
    private FrameType leadingType() {
        if (!reader.firstMember()) {
            throw new ProtocolException("missing field 't'");
        }
        if (readKey() != JsonField.T) {
            return null;
        }
        reader.context(JsonField.T.wireName, null, -1);
        return values.frameType();
    }

    /** Reads the top-level keys from {@code membersStart} looking for {@code t}, skipping every other value. */
    private FrameType findType(final int membersStart) {
        reader.position(membersStart);
        FrameType type = null;
        boolean more = reader.firstMember();
        while (more) {
            if (readKey() == JsonField.T) {
                if (type != null) {
                    throw ProtocolException.badField("t", null, -1, "duplicate key");
                }
                reader.context(JsonField.T.wireName, null, -1);
                type = values.frameType();
            } else {
                skip(null, -1);
            }
            more = reader.nextMember();
        }
        if (type == null) {
            throw new ProtocolException("missing field 't'");
        }
        return type;
    }

    private void readField(final JsonField field, final FrameType type, final Frame frame) {
        switch (field) {
            case T -> reader.skipValue(1); // validated by findType
            case USER -> frame.user(values.positive());
            case DEVICE -> frame.device(values.device());
            case TOKEN -> values.token(frame.token());
            case TS -> frame.ts(values.nonNegative());
            case ID -> frame.id(values.positive());
            case SEQ -> frame.seq(values.positive());
            case REQ -> frame.req(values.nonNegative());
            case BY -> frame.by(values.positive());
            case LAST_SEEN -> frame.lastSeen(values.nonNegative());
            case OK -> frame.ok(values.bool());
            case ONLINE -> frame.online(values.bool());
            case ON -> frame.on(values.bool());
            case RSEQ -> frame.rseq(values.positive());
            case RETRY_AFTER_MS -> frame.retryAfterMs(values.positive());
            case RECEIPT_ACKS -> frame.receiptAcks(values.bool());
            case PRE_KEYS -> frame.preKeys(values.count());
            case KYBER_PRE_KEYS -> frame.kyberPreKeys(values.count());
            case TO -> readTo(frame);
            case FROM -> readFrom(frame, type != FrameType.TYPING);
            case GROUP -> values.groupId(frame.group());
            // Invite codes are drawn from the group ids' charset and length, so they read as one.
            case INVITE -> values.groupId(frame.invite());
            case EXPIRES_AT -> frame.expiresAt(values.nonNegative());
            case INVITED -> {
                values.ids(frame.invited(), false);
                frame.markPresent(OptionalFields.INVITED);
            }
            case ENV -> readEnvelopes(frame);
            case TYPE -> msgType = values.envelopeType();
            case BODY -> {
                msgBodyOffset = frame.envelopes().bodiesLimit();
                msgBodyLength = values.body(frame.envelopes());
            }
            case MEDIA -> readMedia(frame);
            case KIND -> frame.kind(values.receiptKind());
            case CODE -> frame.code(values.errorCode());
            case EVENT -> frame.event(values.groupEventKind());
            case NAME -> {
                values.text(frame.name(), ProtocolLimits.MAX_NAME_LENGTH);
                frame.markPresent(OptionalFields.NAME);
            }
            case MESSAGE -> {
                values.text(frame.message(), ProtocolLimits.MAX_MESSAGE_LENGTH);
                frame.markPresent(OptionalFields.MESSAGE);
            }
            case IDS -> values.ids(frame.ids(), true);
            case MEMBERS -> {
                values.ids(frame.members(), false);
                // Only where members is optional (result) does its presence say more than its content.
                if (!FrameShapes.isRequired(type, field)) {
                    frame.markPresent(OptionalFields.MEMBERS);
                }
            }
            case ADMINS -> {
                values.ids(frame.admins(), false);
                frame.markPresent(OptionalFields.ADMINS);
            }
            case MISSING -> {
                values.devices(frame.missing());
                frame.markPresent(OptionalFields.MISSING);
            }
            case EXTRA -> {
                values.devices(frame.extra());
                frame.markPresent(OptionalFields.EXTRA);
            }
            case SIZE -> reader.skipValue(1); // only inside media, never a top-level field of any type
        }
    }

    private void finish(final FrameType type, final Frame frame, final long present) {
        if (type == FrameType.MSG) {
            frame.envelopes().addRecord(0, msgType, msgBodyOffset, msgBodyLength);
        } else if (type == FrameType.TYPING) {
            final boolean to = (present & JsonField.TO.bit) != 0;
            if (to == ((present & JsonField.FROM.bit) != 0)) {
                throw new ProtocolException(
                        to ? "fields 'to' and 'from' are exclusive for 'typing'" : "missing field 'to' for 'typing'");
            }
        }
    }

    // Nested objects.

    private void readTo(final Frame frame) {
        if (!reader.consumeIf('{')) {
            throw reader.error("expected an object with 'user' or 'group'");
        }
        long seen = 0;
        long present = 0;
        boolean more = reader.firstMember();
        while (more) {
            final JsonField field = readKey();
            if (field == JsonField.USER || field == JsonField.GROUP) {
                seen = markSeen(seen, field, "to", -1);
                reader.context(field.wireName, "to", -1);
                if (!reader.consumeNull()) {
                    if (field == JsonField.USER) {
                        frame.toUser(values.positive());
                    } else {
                        values.groupId(frame.toGroup());
                    }
                    present |= field.bit;
                }
            } else {
                skip("to", -1);
            }
            more = reader.nextMember();
        }
        if (Long.bitCount(present) != 1) {
            throw ProtocolException.badField("to", null, -1, "expected exactly one of 'user' or 'group'");
        }
    }

    private void readFrom(final Frame frame, final boolean deviceRequired) {
        if (!reader.consumeIf('{')) {
            throw reader.error("expected an object with 'user' and 'device'");
        }
        long seen = 0;
        long user = 0;
        int device = 0;
        boolean more = reader.firstMember();
        while (more) {
            final JsonField field = readKey();
            if (field == JsonField.USER) {
                seen = markSeen(seen, field, "from", -1);
                reader.context(field.wireName, "from", -1);
                user = values.positive();
            } else if (field == JsonField.DEVICE) {
                seen = markSeen(seen, field, "from", -1);
                reader.context(field.wireName, "from", -1);
                if (deviceRequired || !reader.consumeNull()) {
                    device = values.device();
                }
            } else {
                skip("from", -1);
            }
            more = reader.nextMember();
        }
        if (user == 0) {
            throw new ProtocolException("missing field 'user' of 'from'");
        }
        if (deviceRequired && device == 0) {
            throw new ProtocolException("missing field 'device' of 'from'");
        }
        frame.from(user, device);
    }

    private void readMedia(final Frame frame) {
        if (!reader.consumeIf('{')) {
            throw reader.error("expected an object with 'id' and 'size'");
        }
        long seen = 0;
        long size = 0;
        boolean more = reader.firstMember();
        while (more) {
            final JsonField field = readKey();
            if (field == JsonField.ID) {
                seen = markSeen(seen, field, "media", -1);
                reader.context(field.wireName, "media", -1);
                values.mediaId(frame.mediaId());
            } else if (field == JsonField.SIZE) {
                seen = markSeen(seen, field, "media", -1);
                reader.context(field.wireName, "media", -1);
                size = values.nonNegative();
            } else {
                skip("media", -1);
            }
            more = reader.nextMember();
        }
        if ((seen & JsonField.ID.bit) == 0) {
            throw new ProtocolException("missing field 'id' of 'media'");
        }
        if ((seen & JsonField.SIZE.bit) == 0) {
            throw new ProtocolException("missing field 'size' of 'media'");
        }
        frame.mediaSize(size);
    }

    private void readEnvelopes(final Frame frame) {
        if (!reader.consumeIf('[')) {
            throw reader.error("expected an array of envelopes");
        }
        int index = 0;
        boolean more = reader.firstElement();
        while (more) {
            if (index == ProtocolLimits.MAX_ENVELOPES) {
                throw ProtocolException.badField(
                        "env", null, -1, "more than " + ProtocolLimits.MAX_ENVELOPES + " envelopes");
            }
            readEnvelope(frame.envelopes(), index++);
            more = reader.nextElement();
        }
        if (index == 0) {
            throw ProtocolException.badField("env", null, -1, "must not be empty");
        }
    }

    private void readEnvelope(final Envelopes envelopes, final int index) {
        if (!reader.consumeIf('{')) {
            throw ProtocolException.badField("env", null, -1, "element " + index + " is not an object");
        }
        long seen = 0;
        int device = 0;
        EnvelopeType type = null;
        int bodyOffset = 0;
        int bodyLength = -1;
        boolean more = reader.firstMember();
        while (more) {
            final JsonField field = readKey();
            if (field == JsonField.DEVICE || field == JsonField.TYPE || field == JsonField.BODY) {
                seen = markSeen(seen, field, "env", index);
                reader.context(field.wireName, "env", index);
                if (field == JsonField.DEVICE) {
                    // Optional: a group send's single envelope has none.
                    if (!reader.consumeNull()) {
                        device = values.device();
                    }
                } else if (field == JsonField.TYPE) {
                    type = values.envelopeType();
                } else {
                    bodyOffset = envelopes.bodiesLimit();
                    bodyLength = values.body(envelopes);
                }
            } else {
                skip("env", index);
            }
            more = reader.nextMember();
        }
        if (type == null) {
            throw new ProtocolException("missing field 'type' of env[" + index + "]");
        }
        if (bodyLength < 0) {
            throw new ProtocolException("missing field 'body' of env[" + index + "]");
        }
        envelopes.addRecord(device, type, bodyOffset, bodyLength);
    }

    // Keys.

    /** The next key (positioned at it) and its colon; null for a key no frame uses. */
    private JsonField readKey() {
        return reader.readKey(key, JsonField.MAX_KEY_LENGTH) ? JsonField.lookup(key) : null;
    }

    private void skip(final String parent, final int index) {
        reader.context(key, parent, index);
        reader.skipValue(1);
    }

    private static long markSeen(final long seen, final JsonField field, final String parent, final int index) {
        if ((seen & field.bit) != 0) {
            throw ProtocolException.badField(field.wireName, parent, index, "duplicate key");
        }
        return seen | field.bit;
    }

    private static ProtocolException missingField(final FrameType type, final long missing) {
        if (type == FrameType.HELLO && (missing & JsonField.TOKEN.bit) != 0) {
            // protocol.md, Session: a hello that cannot authenticate is refused with auth, as a bad token is.
            return new ProtocolException(ErrorCode.AUTH, "hello without a token");
        }
        for (final JsonField field : FrameShapes.fields(type)) {
            if ((missing & field.bit) != 0) {
                return new ProtocolException("missing field '" + field.wireName + "' for '" + type.wireName() + "'");
            }
        }
        return new ProtocolException("missing field for '" + type.wireName() + "'");
    }
}
