package io.switchboard.core.protocol;

import static io.switchboard.core.protocol.ProtocolLimits.MAX_DEVICE;
import static io.switchboard.core.protocol.ProtocolLimits.MAX_ID;

import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Reads one field's value with {@link JsonReader} and holds it to the protocol's rules: JSON type, range, length,
 * charset, known enum value. A value that breaks them is a {@link ProtocolException} naming the field the reader's
 * context is set to.
 *
 * <p>Not thread-safe: part of one {@link JsonFrameDecoder}.
 */
final class JsonValueReader {
    private static final String ID_RANGE = "expected an integer in 1.." + MAX_ID;
    private static final String TIME_RANGE = "expected an integer in 0.." + MAX_ID;
    private static final String COUNT_RANGE = "expected an integer in 0.." + Integer.MAX_VALUE;
    private static final String DEVICE_RANGE = "expected an integer in 1.." + MAX_DEVICE;
    private static final String GROUP_ID =
            "expected a string of 1.." + ProtocolLimits.MAX_GROUP_ID_LENGTH + " characters [A-Za-z0-9._-]";
    private static final String MEDIA_ID =
            "expected a string of 1.." + ProtocolLimits.MAX_MEDIA_ID_LENGTH + " characters [A-Za-z0-9._-]";
    private static final String ID_LIST = "expected an array of integers in 1.." + MAX_ID;
    private static final String DEVICE_LIST = "expected an array of integers in 1.." + MAX_DEVICE;
    private static final String LIST_TOO_LONG = "more than " + ProtocolLimits.MAX_LIST + " entries";
    private static final String TOKEN =
            "expected a string of 1.." + ProtocolLimits.MAX_TOKEN_LENGTH + " visible ASCII characters";
    /** Longer than any enum value: a longer string is unknown without being copied in full. */
    private static final int MAX_ENUM_LENGTH = 32;

    private final JsonReader reader;
    private final FrameText scratch = new FrameText(64);
    private final UnsafeBuffer scratchView = new UnsafeBuffer(new byte[1]);

    JsonValueReader(final JsonReader reader) {
        this.reader = reader;
    }

    FrameType frameType() {
        final FrameText name = enumName();
        final FrameType type = name == null ? null : FrameType.fromWire(name);
        if (type == null) {
            throw new ProtocolException("unknown frame type '" + scratch + "'");
        }
        return type;
    }

    /** An integer in 1..{@link ProtocolLimits#MAX_ID}: ids, users, seq, by. */
    long positive() {
        return integer(1, MAX_ID, ID_RANGE);
    }

    /** An integer in 0..{@link ProtocolLimits#MAX_ID}: times, req, sizes. */
    long nonNegative() {
        return integer(0, MAX_ID, TIME_RANGE);
    }

    /** A count of things, 0..{@link Integer#MAX_VALUE}. */
    int count() {
        return (int) integer(0, Integer.MAX_VALUE, COUNT_RANGE);
    }

    int device() {
        return (int) integer(1, MAX_DEVICE, DEVICE_RANGE);
    }

    void groupId(final FrameText dst) {
        idText(dst, ProtocolLimits.MAX_GROUP_ID_LENGTH, GROUP_ID);
    }

    void mediaId(final FrameText dst) {
        idText(dst, ProtocolLimits.MAX_MEDIA_ID_LENGTH, MEDIA_ID);
    }

    private long integer(final long min, final long max, final String expected) {
        final long value = reader.readInteger(max);
        if (value < min) {
            throw reader.error(expected);
        }
        return value;
    }

    boolean bool() {
        final int value = reader.readBoolean();
        if (value < 0) {
            throw reader.error("expected true or false");
        }
        return value == 1;
    }

    /** A hello's token; one that cannot be a token is a bad token, answered with auth (protocol.md, Session). */
    void token(final FrameText dst) {
        if (reader.readString(dst, ProtocolLimits.MAX_TOKEN_LENGTH) != JsonReader.STRING || !TextRules.isToken(dst)) {
            throw badToken();
        }
    }

    private ProtocolException badToken() {
        return new ProtocolException(ErrorCode.AUTH, reader.error(TOKEN).getMessage());
    }

    /** A group or media id: 1..{@code maxLength} characters of {@code [A-Za-z0-9._-]}. */
    private void idText(final FrameText dst, final int maxLength, final String expected) {
        if (reader.readString(dst, maxLength) != JsonReader.STRING || !TextRules.isId(dst)) {
            throw reader.error(expected);
        }
    }

    void text(final FrameText dst, final int maxBytes) {
        final int status = reader.readString(dst, maxBytes);
        if (status == JsonReader.NOT_A_STRING) {
            throw reader.error("expected a string");
        }
        if (status == JsonReader.STRING_TOO_LONG) {
            throw reader.error("longer than " + maxBytes + " UTF-8 bytes");
        }
    }

    /** Base64-decodes a body string straight into the frame's body buffer; returns the decoded length. */
    int body(final Envelopes envelopes) {
        if (reader.peek() != '"') {
            throw reader.error("expected a base64 string");
        }
        int length = reader.readRawString();
        final DirectBuffer src;
        final int offset;
        if (length >= 0) {
            src = reader.buffer();
            offset = reader.spanStart();
        } else {
            // Escapes in base64 are legal JSON ("\/" for '/'), if unusual: unescape first.
            reader.readString(scratch, Integer.MAX_VALUE);
            scratchView.wrap(scratch.array(), 0, scratch.length());
            src = scratchView;
            offset = 0;
            length = scratch.length();
        }
        envelopes.reserveBody(Base64Codec.maxDecodedLength(length));
        final int decoded = Base64Codec.decode(src, offset, length, envelopes.bodyArray(), envelopes.bodiesLimit());
        switch (decoded) {
            case Base64Codec.BAD_LENGTH -> throw reader.error("invalid base64 (length not a multiple of 4)");
            case Base64Codec.BAD_CHARACTER -> throw reader.error("invalid base64 (character outside the alphabet)");
            case Base64Codec.BAD_PADDING -> throw reader.error("invalid base64 (misplaced padding)");
            case Base64Codec.BAD_PADDING_BITS -> throw reader.error("invalid base64 (non-zero padding bits)");
            default -> envelopes.commitBody(decoded);
        }
        return decoded;
    }

    void ids(final LongArrayList dst, final boolean nonEmpty) {
        if (!reader.consumeIf('[')) {
            throw reader.error(ID_LIST);
        }
        dst.clear();
        boolean more = reader.firstElement();
        while (more) {
            if (dst.size() == ProtocolLimits.MAX_LIST) {
                throw reader.error(LIST_TOO_LONG);
            }
            dst.addLong(integer(1, MAX_ID, ID_LIST));
            more = reader.nextElement();
        }
        if (nonEmpty && dst.isEmpty()) {
            throw reader.error("must not be empty");
        }
    }

    void devices(final IntArrayList dst) {
        if (!reader.consumeIf('[')) {
            throw reader.error(DEVICE_LIST);
        }
        dst.clear();
        boolean more = reader.firstElement();
        while (more) {
            if (dst.size() == ProtocolLimits.MAX_LIST) {
                throw reader.error(LIST_TOO_LONG);
            }
            dst.addInt((int) integer(1, MAX_DEVICE, DEVICE_LIST));
            more = reader.nextElement();
        }
    }

    /** The string value in {@link #scratch}, or null if it is too long to be any enum value. */
    private FrameText enumName() {
        final int status = reader.readString(scratch, MAX_ENUM_LENGTH);
        if (status == JsonReader.NOT_A_STRING) {
            throw reader.error("expected a string");
        }
        return status == JsonReader.STRING ? scratch : null;
    }

    EnvelopeType envelopeType() {
        final FrameText name = enumName();
        final EnvelopeType value = name == null ? null : EnvelopeType.fromWire(name);
        if (value == null) {
            throw unknownValue();
        }
        return value;
    }

    ErrorCode errorCode() {
        final FrameText name = enumName();
        final ErrorCode value = name == null ? null : ErrorCode.fromWire(name);
        if (value == null) {
            throw unknownValue();
        }
        return value;
    }

    ReceiptKind receiptKind() {
        final FrameText name = enumName();
        final ReceiptKind value = name == null ? null : ReceiptKind.fromWire(name);
        if (value == null) {
            throw unknownValue();
        }
        return value;
    }

    GroupEventKind groupEventKind() {
        final FrameText name = enumName();
        final GroupEventKind value = name == null ? null : GroupEventKind.fromWire(name);
        if (value == null) {
            throw unknownValue();
        }
        return value;
    }

    private ProtocolException unknownValue() {
        return reader.error("unknown value '" + scratch + "'");
    }
}
