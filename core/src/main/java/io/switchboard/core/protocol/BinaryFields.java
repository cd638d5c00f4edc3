package io.switchboard.core.protocol;

import static io.switchboard.core.protocol.ProtocolLimits.MAX_DEVICE;
import static io.switchboard.core.protocol.ProtocolLimits.MAX_ID;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Holds the values of one {@code sb.bin.v1} frame to the protocol's rules, as {@link JsonValueReader} holds JSON
 * values: ranges of ids, times and devices, known enum codes, id and token charsets, UTF-8, lengths. Also checks that
 * every length prefix and list header stays inside the frame, so that a truncated or lying frame is a {@link
 * ProtocolException} and never a read past its end. A violation names the field as the JSON decoder does.
 *
 * <p>Not thread-safe: part of one {@link BinaryFrameDecoder}.
 */
final class BinaryFields {
    private static final String ID_RANGE = "expected an integer in 1.." + MAX_ID;
    private static final String TIME_RANGE = "expected an integer in 0.." + MAX_ID;
    private static final String COUNT_RANGE = "expected an integer in 0.." + Integer.MAX_VALUE;
    private static final String DEVICE_RANGE = "expected an integer in 1.." + MAX_DEVICE;
    private static final String ID_TEXT = " characters [A-Za-z0-9._-]";
    /** Length prefixes of the schema's varString8, varString16 and varData32; groupSizeEncoding's size. */
    static final int STRING8 = 1;

    static final int STRING16 = 2;
    static final int DATA32 = 4;
    static final int LIST_HEADER = 4;

    /** The frame's bytes only: its length is the frame's, so no read can reach past it. */
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);

    private final UnsafeBuffer bytes = new UnsafeBuffer(0, 0);
    private String parent;
    private int index = -1;

    UnsafeBuffer wrap(final DirectBuffer src, final int offset, final int length) {
        frame.wrap(src, offset, length);
        parent = null;
        index = -1;
        return frame;
    }

    /** Field names from here on are of element {@code index} of list {@code parent}; null for the top level. */
    void context(final String parent, final int index) {
        this.parent = parent;
        this.index = index;
    }

    ProtocolException bad(final String field, final String problem) {
        return ProtocolException.badField(field, parent, index, problem);
    }

    /** Checks that {@code length} bytes from {@code limit} are inside the frame. */
    void room(final int limit, final long length, final String field) {
        if (length > frame.capacity() - (long) limit) {
            throw bad(field, "runs past the end of the frame");
        }
    }

    long positive(final long value, final String field) {
        return inRange(value, 1, MAX_ID, field, ID_RANGE);
    }

    long nonNegative(final long value, final String field) {
        return inRange(value, 0, MAX_ID, field, TIME_RANGE);
    }

    /** 0 (absent, where JSON omits a field that is never 0) or {@link #positive}. */
    long optionalPositive(final long value, final String field) {
        return value == 0 ? 0 : positive(value, field);
    }

    int device(final short value, final String field) {
        return (int) inRange(value, 1, MAX_DEVICE, field, DEVICE_RANGE);
    }

    /** 0 (no device: a group envelope, a relayed typing frame) or {@link #device}. */
    int optionalDevice(final short value, final String field) {
        return value == 0 ? 0 : device(value, field);
    }

    int count(final long value, final String field) {
        return (int) inRange(value, 0, Integer.MAX_VALUE, field, COUNT_RANGE);
    }

    /** An unsigned value read as a long: above 2^63 it is negative, so below {@code min} too. */
    private long inRange(final long value, final long min, final long max, final String field, final String expected) {
        if (value < min || value > max) {
            throw bad(field, expected);
        }
        return value;
    }

    boolean bool(final short value, final String field) {
        if (value > 1) {
            throw bad(field, "expected 0 (false) or 1 (true)");
        }
        return value == 1;
    }

    EnvelopeType envelopeType(final short code, final String field) {
        return known(EnvelopeType.fromCode(code), code, field);
    }

    ReceiptKind receiptKind(final short code) {
        return known(ReceiptKind.fromCode(code), code, "kind");
    }

    ErrorCode errorCode(final short code) {
        return known(ErrorCode.fromCode(code), code, "code");
    }

    GroupEventKind groupEventKind(final short code) {
        return known(GroupEventKind.fromCode(code), code, "event");
    }

    private <E> E known(final E value, final short code, final String field) {
        if (value == null) {
            throw bad(field, "unknown value " + code);
        }
        return value;
    }

    /**
     * Reads the length prefix of {@code header} bytes (1, 2 or 4, as the schema's varString8, varString16 and varData32
     * have it) at {@code limit}, checks the prefix and the bytes it counts are inside the frame and at most {@code
     * maxLength}, and wraps {@link #bytes()} over them. Returns the limit after them.
     */
    int span(final int limit, final int header, final int maxLength, final String field) {
        room(limit, header, field);
        final long length = switch (header) {
            case 1 -> frame.getByte(limit) & 0xFFL;
            case 2 -> frame.getShort(limit, ByteOrder.LITTLE_ENDIAN) & 0xFFFFL;
            default -> frame.getInt(limit, ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL;
        };
        room(limit + header, length, field);
        if (length > maxLength) {
            throw bad(field, "longer than " + maxLength + " bytes");
        }
        bytes.wrap(frame, limit + header, (int) length);
        return limit + header + (int) length;
    }

    /** The bytes of the last {@link #span}. */
    UnsafeBuffer bytes() {
        return bytes;
    }

    /** A name or message: UTF-8 of at most {@code maxLength} bytes after a 2-byte length. */
    int utf8(final int limit, final int maxLength, final FrameText dst, final String field) {
        final int end = span(limit, STRING16, maxLength, field);
        if (!TextRules.isUtf8(bytes, 0, bytes.capacity())) {
            throw bad(field, "invalid UTF-8");
        }
        dst.set(bytes, 0, bytes.capacity());
        return end;
    }

    /** A group id, invite code or media id: 1..{@code maxLength} id characters after a 1-byte length. */
    int id(final int limit, final int maxLength, final FrameText dst, final String field) {
        final int end = span(limit, STRING8, maxLength, field);
        dst.set(bytes, 0, bytes.capacity());
        if (!TextRules.isId(dst)) {
            throw bad(field, "expected a string of 1.." + maxLength + ID_TEXT);
        }
        return end;
    }

    /** As {@link #id}, but empty means absent (an optional group, a {@code to} that names a user). */
    int optionalId(final int limit, final int maxLength, final FrameText dst, final String field) {
        room(limit, STRING8, field);
        if (frame.getByte(limit) == 0) {
            dst.clear();
            return limit + STRING8;
        }
        return id(limit, maxLength, dst, field);
    }

    /** A hello's token; one that cannot be a token is a bad token, answered with auth (protocol.md, Session). */
    int token(final int limit, final FrameText dst) {
        final int end = span(limit, STRING8, ProtocolLimits.MAX_TOKEN_LENGTH, "token");
        dst.set(bytes, 0, bytes.capacity());
        if (!TextRules.isToken(dst)) {
            throw new ProtocolException(
                    ErrorCode.AUTH,
                    ProtocolException.describeField("token", null, -1) + ": expected a string of 1.."
                            + ProtocolLimits.MAX_TOKEN_LENGTH + " visible ASCII characters");
        }
        return end;
    }

    /**
     * A list of ids (users, message ids) of 8-byte entries at {@code limit}, each 1..2^53-1, into {@code dst}.
     * Returns the limit after it.
     */
    int ids(final int limit, final LongArrayList dst, final boolean nonEmpty, final String field) {
        final int count = listHeader(limit, Long.BYTES, field);
        final int blockLength = frame.getShort(limit, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        dst.clear();
        int entry = limit + LIST_HEADER;
        for (int i = 0; i < count; i++, entry += blockLength) {
            dst.addLong(positive(frame.getLong(entry, ByteOrder.LITTLE_ENDIAN), field));
        }
        if (nonEmpty && count == 0) {
            throw bad(field, "must not be empty");
        }
        return entry;
    }

    /** A list of devices of 1-byte entries at {@code limit}, each 1..63, into {@code dst}. */
    int devices(final int limit, final IntArrayList dst, final String field) {
        final int count = listHeader(limit, 1, field);
        final int blockLength = frame.getShort(limit, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        dst.clear();
        int entry = limit + LIST_HEADER;
        for (int i = 0; i < count; i++, entry += blockLength) {
            dst.addInt(device(frame.getByte(entry), field));
        }
        return entry;
    }

    /**
     * Checks a list header (groupSizeEncoding: blockLength, numInGroup) at {@code limit} and the entries after it, at
     * most {@link ProtocolLimits#MAX_LIST}; returns the count.
     */
    int listHeader(final int limit, final int minBlockLength, final String field) {
        return listHeader(limit, minBlockLength, ProtocolLimits.MAX_LIST, field);
    }

    int listHeader(final int limit, final int minBlockLength, final int max, final String field) {
        room(limit, LIST_HEADER, field);
        final int blockLength = frame.getShort(limit, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int count = frame.getShort(limit + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (count > max) {
            throw bad(field, "more than " + max + " entries");
        }
        if (blockLength < minBlockLength) {
            throw bad(field, "entries of " + blockLength + " bytes, fewer than " + minBlockLength);
        }
        room(limit + LIST_HEADER, (long) count * blockLength, field);
        return count;
    }
}
