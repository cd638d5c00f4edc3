package io.switchboard.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The shared tables behind the wire enums: codes may leave gaps but never repeat, names match as bytes. */
class WireLookupTest {
    private enum Sample {
        ONE,
        THREE,
        TWO
    }

    @Test
    void shouldFindConstantsByCodeWithGaps() {
        final WireLookup<Sample> lookup = WireLookup.of(Sample.values(), WireLookupTest::name, WireLookupTest::code);

        assertThat(lookup.byCode(1)).isSameAs(Sample.ONE);
        assertThat(lookup.byCode(2)).isSameAs(Sample.TWO);
        assertThat(lookup.byCode(3)).isSameAs(Sample.THREE);
        assertThat(lookup.byCode(0)).isNull();
        assertThat(lookup.byCode(4)).isNull();
        assertThat(lookup.byCode(-1)).isNull();
        assertThat(lookup.byCode(Integer.MAX_VALUE)).isNull();
    }

    @Test
    void shouldFindConstantsByWireName() {
        final WireLookup<Sample> lookup = WireLookup.of(Sample.values(), WireLookupTest::name);
        final byte[] bytes = "xthreex".getBytes(StandardCharsets.US_ASCII);

        assertThat(lookup.byWire(bytes, 1, 5)).isSameAs(Sample.THREE);
        assertThat(lookup.byWire(new UnsafeBuffer(bytes), 1, 5)).isSameAs(Sample.THREE);
        assertThat(lookup.byWire(bytes, 1, 4)).isNull();
        assertThat(lookup.byWire(bytes, 0, 5)).isNull();
        assertThat(lookup.byCode(0)).isNull();
    }

    @Test
    void shouldRejectRepeatedOrNegativeCodes() {
        assertThatThrownBy(() -> WireLookup.of(Sample.values(), WireLookupTest::name, value -> 7))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> WireLookup.of(Sample.values(), WireLookupTest::name, value -> value.ordinal() - 1))
                .isInstanceOf(IllegalStateException.class);
    }

    private static byte[] name(final Sample value) {
        return WireNames.ascii(value.name().toLowerCase(Locale.ROOT));
    }

    private static int code(final Sample value) {
        return switch (value) {
            case ONE -> 1;
            case TWO -> 2;
            case THREE -> 3;
        };
    }
}
