package io.switchboard.core.protocol;

import java.util.Arrays;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The envelopes of one frame: per envelope a device, a type and a span of {@link #bodies()}. All bodies of a frame
 * share one growable buffer, so a decoded frame owns its bytes without an allocation per envelope.
 *
 * <p>Not thread-safe: part of a {@link Frame}.
 */
final class Envelopes {
    private int count;
    private int[] devices = new int[4];
    private EnvelopeType[] types = new EnvelopeType[4];
    private int[] offsets = new int[4];
    private int[] lengths = new int[4];
    private final ExpandableArrayBuffer bodies = new ExpandableArrayBuffer(256);
    private int bodiesLimit;

    int count() {
        return count;
    }

    int device(final int index) {
        return devices[Objects.checkIndex(index, count)];
    }

    EnvelopeType type(final int index) {
        return types[Objects.checkIndex(index, count)];
    }

    int bodyOffset(final int index) {
        return offsets[Objects.checkIndex(index, count)];
    }

    int bodyLength(final int index) {
        return lengths[Objects.checkIndex(index, count)];
    }

    DirectBuffer bodies() {
        return bodies;
    }

    byte[] body(final int index) {
        final byte[] copy = new byte[bodyLength(index)];
        bodies.getBytes(offsets[index], copy);
        return copy;
    }

    void clear() {
        count = 0;
        bodiesLimit = 0;
    }

    void add(final int device, final EnvelopeType type, final DirectBuffer src, final int offset, final int length) {
        final int bodyOffset = bodiesLimit;
        bodies.putBytes(bodyOffset, src, offset, length);
        bodiesLimit += length;
        addRecord(device, type, bodyOffset, length);
    }

    void add(final int device, final EnvelopeType type, final byte[] body) {
        final int bodyOffset = bodiesLimit;
        bodies.putBytes(bodyOffset, body);
        bodiesLimit += body.length;
        addRecord(device, type, bodyOffset, body.length);
    }

    /**
     * Makes room for a body of up to {@code maxLength} bytes written straight into {@link #bodyArray()} at {@link
     * #bodiesLimit()}; {@link #commitBody} then claims the bytes actually written. Lets the decoder base64-decode
     * in place, with no intermediate copy.
     */
    void reserveBody(final int maxLength) {
        bodies.checkLimit(bodiesLimit + maxLength);
    }

    byte[] bodyArray() {
        return bodies.byteArray();
    }

    int bodiesLimit() {
        return bodiesLimit;
    }

    void commitBody(final int length) {
        bodiesLimit += length;
    }

    void addRecord(final int device, final EnvelopeType type, final int bodyOffset, final int bodyLength) {
        if (count == devices.length) {
            final int capacity = count * 2;
            devices = Arrays.copyOf(devices, capacity);
            types = Arrays.copyOf(types, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
        }
        devices[count] = device;
        types[count] = type;
        offsets[count] = bodyOffset;
        lengths[count] = bodyLength;
        count++;
    }
}
