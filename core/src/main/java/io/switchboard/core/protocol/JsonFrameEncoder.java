package io.switchboard.core.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;

/**
 * Encodes a {@link Frame} as compact {@code sb.json.v1}: {@code t} first, then the type's fields in the order
 * protocol.md shows them, optional fields only when present, bodies in padded base64. The output for a frame is
 * canonical, so decoding and re-encoding a frame reproduces it byte for byte.
 *
 * <p>The frame is trusted, not validated: the server builds frames from values it has already checked. A frame
 * missing a required enum or its {@code msg} envelope throws {@link IllegalStateException}.
 *
 * <p>Allocates nothing once its buffer has grown to the largest frame written (the {@code byte[]} and String
 * conveniences aside). Not thread-safe: use one per thread.
 */
public final class JsonFrameEncoder {
    private final JsonWriter writer = new JsonWriter();

    /**
     * Writes {@code frame} to {@code dst} at {@code offset} and returns the number of bytes written. An expandable
     * {@code dst} grows as needed; a fixed one must have room, or this throws {@link IndexOutOfBoundsException}.
     */
    public int encode(final Frame frame, final MutableDirectBuffer dst, final int offset) {
        write(frame);
        dst.putBytes(offset, writer.array(), 0, writer.length());
        return writer.length();
    }

    /** The frame as a new UTF-8 byte array: for tests and clients. */
    public byte[] encode(final Frame frame) {
        write(frame);
        return Arrays.copyOf(writer.array(), writer.length());
    }

    /** The frame as a new String: for tests, clients and logs. */
    public String encodeToString(final Frame frame) {
        write(frame);
        return new String(writer.array(), 0, writer.length(), StandardCharsets.UTF_8);
    }

    private void write(final Frame frame) {
        final FrameType type = frame.type();
        if (type == null) {
            throw new IllegalStateException("frame has no type: call reset(type) first");
        }
        writer.reset();
        writer.beginObject();
        writer.key(JsonField.T);
        writer.quotedAscii(type.wire);
        for (final JsonField field : FrameShapes.fields(type)) {
            if (FrameShapes.isRequired(type, field) || isPresent(frame, field)) {
                writer.key(field);
                writeValue(frame, type, field);
            }
        }
        writer.endObject();
    }

    private static boolean isPresent(final Frame frame, final JsonField field) {
        return switch (field) {
            case ID -> frame.hasId();
            case NAME -> frame.hasName();
            case MESSAGE -> frame.hasMessage();
            case MEDIA -> frame.hasMedia();
            case LAST_SEEN -> frame.hasLastSeen();
            case MEMBERS -> frame.hasMembers();
            case ADMINS -> frame.hasAdmins();
            case INVITED -> frame.hasInvited();
            case MISSING -> frame.hasMissing();
            case EXTRA -> frame.hasExtra();
            case CODE -> frame.code() != null;
            case GROUP -> !frame.group().isEmpty();
            // typing: a relayed frame (from the server) names the sender, a client's names the recipient.
            case RSEQ -> frame.rseq() != 0;
            case REQ -> frame.hasReq();
            case RETRY_AFTER_MS -> frame.retryAfterMs() != 0;
            case RECEIPT_ACKS -> frame.receiptAcks();
            case FROM -> frame.fromUser() != 0;
            case TO -> frame.fromUser() == 0;
            default -> true;
        };
    }

    private void writeValue(final Frame frame, final FrameType type, final JsonField field) {
        switch (field) {
            case USER -> writer.number(frame.user());
            case DEVICE -> writer.number(frame.device());
            case TOKEN -> writer.string(frame.token());
            case TS -> writer.number(frame.ts());
            case ID -> writer.number(frame.id());
            case SEQ -> writer.number(frame.seq());
            case REQ -> writer.number(frame.req());
            case BY -> writer.number(frame.by());
            case LAST_SEEN -> writer.number(frame.lastSeen());
            case OK -> writer.bool(frame.ok());
            case ONLINE -> writer.bool(frame.online());
            case ON -> writer.bool(frame.on());
            case RSEQ -> writer.number(frame.rseq());
            case RETRY_AFTER_MS -> writer.number(frame.retryAfterMs());
            case RECEIPT_ACKS -> writer.bool(frame.receiptAcks());
            case PRE_KEYS -> writer.number(frame.preKeys());
            case KYBER_PRE_KEYS -> writer.number(frame.kyberPreKeys());
            case TO -> writeTo(frame);
            case FROM -> writeFrom(frame);
            case GROUP -> writer.string(frame.group());
            case INVITE -> writer.string(frame.invite());
            case EXPIRES_AT -> writer.number(frame.expiresAt());
            case INVITED -> writeLongs(frame.invited());
            case ENV -> writeEnvelopes(frame);
            case TYPE -> writer.quotedAscii(msgEnvelopeType(frame).wire);
            case BODY -> writer.base64(frame.bodies(), frame.envelopeBodyOffset(0), frame.envelopeBodyLength(0));
            case MEDIA -> writeMedia(frame);
            case KIND -> writer.quotedAscii(required(frame.kind(), type, field).wire);
            case CODE -> writer.quotedAscii(required(frame.code(), type, field).wire);
            case EVENT -> writer.quotedAscii(required(frame.event(), type, field).wire);
            case NAME -> writer.string(frame.name());
            case MESSAGE -> writer.string(frame.message());
            case IDS -> writeLongs(frame.ids());
            case MEMBERS -> writeLongs(frame.members());
            case ADMINS -> writeLongs(frame.admins());
            case MISSING -> writeInts(frame.missing());
            case EXTRA -> writeInts(frame.extra());
            case T, SIZE -> throw new IllegalStateException("'" + field.wireName + "' is not a field of a shape");
        }
    }

    private void writeTo(final Frame frame) {
        writer.beginObject();
        if (frame.hasToGroup()) {
            writer.key(JsonField.GROUP);
            writer.string(frame.toGroup());
        } else {
            writer.key(JsonField.USER);
            writer.number(frame.toUser());
        }
        writer.endObject();
    }

    private void writeFrom(final Frame frame) {
        writer.beginObject();
        writer.key(JsonField.USER);
        writer.number(frame.fromUser());
        if (frame.fromDevice() != 0) {
            writer.key(JsonField.DEVICE);
            writer.number(frame.fromDevice());
        }
        writer.endObject();
    }

    private void writeMedia(final Frame frame) {
        writer.beginObject();
        writer.key(JsonField.ID);
        writer.string(frame.mediaId());
        writer.key(JsonField.SIZE);
        writer.number(frame.mediaSize());
        writer.endObject();
    }

    private void writeEnvelopes(final Frame frame) {
        writer.beginArray();
        for (int i = 0, count = frame.envelopeCount(); i < count; i++) {
            writer.element();
            writer.beginObject();
            if (frame.envelopeDevice(i) != 0) {
                writer.key(JsonField.DEVICE);
                writer.number(frame.envelopeDevice(i));
            }
            writer.key(JsonField.TYPE);
            writer.quotedAscii(frame.envelopeType(i).wire);
            writer.key(JsonField.BODY);
            writer.base64(frame.bodies(), frame.envelopeBodyOffset(i), frame.envelopeBodyLength(i));
            writer.endObject();
        }
        writer.endArray();
    }

    private void writeLongs(final LongArrayList values) {
        writer.beginArray();
        for (int i = 0, size = values.size(); i < size; i++) {
            writer.element();
            writer.number(values.getLong(i));
        }
        writer.endArray();
    }

    private void writeInts(final IntArrayList values) {
        writer.beginArray();
        for (int i = 0, size = values.size(); i < size; i++) {
            writer.element();
            writer.number(values.getInt(i));
        }
        writer.endArray();
    }

    private static EnvelopeType msgEnvelopeType(final Frame frame) {
        if (frame.envelopeCount() == 0) {
            throw new IllegalStateException("'msg' frame has no envelope for its type and body");
        }
        return frame.envelopeType(0);
    }

    private static <T> T required(final T value, final FrameType type, final JsonField field) {
        if (value == null) {
            throw new IllegalStateException("'" + type.wireName() + "' frame has no '" + field.wireName + "'");
        }
        return value;
    }
}
