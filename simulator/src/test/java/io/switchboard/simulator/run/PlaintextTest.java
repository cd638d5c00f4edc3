package io.switchboard.simulator.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * A workload message's plaintext as the recipient checks it: its index and intended time read back, the run's marker
 * in its filler, and any byte changed anywhere but in the digest itself seen as a body that is not the one sent.
 */
class PlaintextTest {
    private static final byte[] MARKER = Plaintext.marker(0x5eed);
    private static final byte[] FILLER = Plaintext.filler(MARKER, 300);

    @Test
    void shouldReadBackWhatWasWrittenWithTheMarkerInItsFiller() {
        for (int length : new int[] {24, 31, 100, 257, 300}) {
            UnsafeBuffer body = new UnsafeBuffer(new byte[length]);
            Plaintext.write(body, FILLER, 4242, 987_654_321L, length);

            assertThat(body.getLong(0)).isEqualTo(4242);
            assertThat(body.getLong(8)).isEqualTo(987_654_321L);
            assertThat(Plaintext.intact(body, length)).as("length %d", length).isTrue();
            String filler = body.getStringWithoutLengthAscii(Plaintext.WITH_DIGEST, length - Plaintext.WITH_DIGEST);
            assertThat(filler)
                    .startsWith(
                            new String(MARKER, 0, Math.min(MARKER.length, filler.length()), StandardCharsets.US_ASCII));
        }
    }

    @Test
    void shouldSeeAnyChangedByteButTheDigestsOwn() {
        for (int length : new int[] {24, 37, 100}) {
            UnsafeBuffer body = new UnsafeBuffer(new byte[length]);
            Plaintext.write(body, FILLER, 7, 11, length);
            for (int at = 0; at < length; at++) {
                if (at >= Plaintext.DIGEST_OFFSET && at < Plaintext.WITH_DIGEST) {
                    continue;
                }
                for (int bit = 0; bit < 8; bit++) {
                    byte was = body.getByte(at);
                    body.putByte(at, (byte) (was ^ (1 << bit)));
                    assertThat(Plaintext.intact(body, length))
                            .as("length %d, byte %d, bit %d flipped", length, at, bit)
                            .isFalse();
                    body.putByte(at, was);
                }
            }
            assertThat(Plaintext.intact(body, length)).isTrue();
            assertThat(Plaintext.intact(body, length - 1))
                    .as("a body cut short")
                    .isFalse();
        }
    }
}
