package io.switchboard.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code Range} headers of a 1,000-byte blob: which part is served, with which {@code Content-Range}. */
class ByteRangeTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "bytes=0-99       | bytes 0-99/1000",
                "bytes=900-       | bytes 900-999/1000",
                "bytes=990-5000   | bytes 990-999/1000",
                "bytes=-10        | bytes 990-999/1000",
                "bytes=-5000      | bytes 0-999/1000",
                "bytes=1000-      | bytes */1000",
                "bytes=-0         | bytes */1000",
                "BYTES=1-1        | bytes 1-1/1000",
            })
    void shouldServeTheRangeAsked(String header, String contentRange) {
        ByteRange range = ByteRange.of(header, 1000);
        assertThat(range.partial()).isTrue();
        assertThat(range.contentRange(1000)).isEqualTo(contentRange);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"items=0-1", "bytes=0-1,5-6", "bytes=5-1", "bytes=a-b", "bytes=-", "bytes=99999999999999999999-"})
    void shouldServeTheWholeBlobForAHeaderItIgnores(String header) {
        ByteRange range = ByteRange.of(header, 1000);
        assertThat(range.partial()).isFalse();
        assertThat(range.offset()).isZero();
        assertThat(range.length()).isEqualTo(1000);
    }
}
