package io.switchboard.core.protocol;

import java.lang.reflect.Array;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.agrona.DirectBuffer;

/**
 * The look-up tables of one wire enum: its constants by wire name (as ASCII bytes) and, for enums with stable binary
 * codes, by code. Built once per enum, in its static initializer, from {@code values()}; the look-ups never allocate.
 * Immutable once built, so thread-safe.
 */
final class WireLookup<E extends Enum<E>> {
    private final E[] values;
    private final byte[][] names;
    private final E[] byCode;

    private WireLookup(final E[] values, final Function<E, byte[]> name, final ToIntFunction<E> code) {
        this.values = values.clone();
        this.names = new byte[values.length][];
        int maxCode = -1;
        for (final E value : values) {
            names[value.ordinal()] = name.apply(value);
            if (code != null) {
                maxCode = Math.max(maxCode, code.applyAsInt(value));
            }
        }
        this.byCode = newArray(values, maxCode + 1);
        if (code != null) {
            for (final E value : values) {
                final int c = code.applyAsInt(value);
                if (c < 0 || byCode[c] != null) {
                    throw new IllegalStateException(value + " has code " + c + ", negative or already taken");
                }
                byCode[c] = value;
            }
        }
    }

    /** A look-up by wire name only, for an enum without binary codes. */
    static <E extends Enum<E>> WireLookup<E> of(final E[] values, final Function<E, byte[]> name) {
        return new WireLookup<>(values, name, null);
    }

    /** A look-up by wire name and by binary code; codes must be distinct and not negative. */
    static <E extends Enum<E>> WireLookup<E> of(
            final E[] values, final Function<E, byte[]> name, final ToIntFunction<E> code) {
        return new WireLookup<>(values, name, code);
    }

    /** The constant with binary code {@code code}, or null when there is none. */
    E byCode(final int code) {
        return code >= 0 && code < byCode.length ? byCode[code] : null;
    }

    /** The constant named by {@code length} bytes at {@code offset}, or null when none has that name. */
    E byWire(final DirectBuffer buffer, final int offset, final int length) {
        final int index = WireNames.indexOf(names, buffer, offset, length);
        return index < 0 ? null : values[index];
    }

    /** The constant named by {@code length} bytes at {@code offset}, or null when none has that name. */
    E byWire(final byte[] bytes, final int offset, final int length) {
        final int index = WireNames.indexOf(names, bytes, offset, length);
        return index < 0 ? null : values[index];
    }

    /** The constant named by {@code text}, or null when none has that name. */
    E byWire(final FrameText text) {
        return byWire(text.array(), 0, text.length());
    }

    @SuppressWarnings("unchecked")
    private static <E> E[] newArray(final E[] like, final int length) {
        return (E[]) Array.newInstance(like.getClass().getComponentType(), length);
    }
}
